"""The municipal cycle with the GGD: start picture, Preventiematrix, agreements, monitoring."""
