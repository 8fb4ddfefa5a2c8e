"""Rectification items and the four lists (整改销号).

Problems, measures, responsibilities and deadlines, closed one by one after verification.
"""
