"""Inspections, random draws, visits and rectification (督查、双随机与整改)."""
