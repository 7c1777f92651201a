"""Import every model module so ``Base.metadata`` is complete (Alembic and tests use this)."""
from wellbeing import audit  # noqa: F401
from wellbeing.accounts import models as accounts_models  # noqa: F401
from wellbeing.auth import models as auth_models  # noqa: F401
from wellbeing.cycle import models as cycle_models  # noqa: F401
from wellbeing.db import Base  # noqa: F401
from wellbeing.menucard import models as menucard_models  # noqa: F401
from wellbeing.offer import models as offer_models  # noqa: F401
from wellbeing.periodic import models as periodic_models  # noqa: F401
from wellbeing.plans import models as plans_models  # noqa: F401
from wellbeing.portfolio import models as portfolio_models  # noqa: F401
from wellbeing.reports import models as reports_models  # noqa: F401
from wellbeing.rounds import models as rounds_models  # noqa: F401
from wellbeing.summaries import models as summaries_models  # noqa: F401
from wellbeing.tenancy import models as tenancy_models  # noqa: F401
from wellbeing.theme import models as theme_models  # noqa: F401
from wellbeing.vignet import models as vignet_models  # noqa: F401
from wellbeing.release import models as release_models  # noqa: F401
from wellbeing.jobs import models as jobs_models  # noqa: F401
