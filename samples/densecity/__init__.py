"""Dense-sibling cities: instance files shaped like the large cities of issue 16 (many sibling groups)."""

from samples.densecity.generate import DenseShape, generate_dense_city

__all__ = ["DenseShape", "generate_dense_city"]
