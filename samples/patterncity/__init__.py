"""Cities with all seven sibling conditions and combination files (issue 23): see generate.py."""

from samples.patterncity.generate import CONDITION_MIX, PatternShape, generate_pattern_city

__all__ = ["CONDITION_MIX", "PatternShape", "generate_pattern_city"]
