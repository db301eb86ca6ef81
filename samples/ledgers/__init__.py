"""Hand-made messy ledgers of three city styles, their mappings and expected canonical output."""
