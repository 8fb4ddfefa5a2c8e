"""Rectification items and the four lists (整改销号): problems, measures, owners, deadlines."""
