"""适当性 (suitability): which products may be offered to whom.

One definition for every place that offers a product — a campaign list leaves these customers out
(models.campaign), a recommendation says why a product is not suggested (models.service).
"""
from __future__ import annotations

#: The oldest age at which a product may be offered.
MAX_AGE = {"基金": 65, "理财": 75, "保险": 60}
#: Products not offered to a 客群 whose name says it avoids risk.
NOT_FOR_SEGMENT = {"保守存款型": ("基金",)}


def unsuitable(product: str, age: float | None, segment: str | None = None,
               max_age: dict[str, int] = MAX_AGE) -> str | None:
    """Why `product` may not be offered to this customer, or None when it may."""
    if product in max_age and age is not None and age == age and age >= max_age[product]:
        return f"适当性：{max_age[product]}岁及以上不推荐{product}"
    if product in NOT_FOR_SEGMENT.get(segment or "", ()):
        return f"适当性：{segment}客群以稳健为主，不推荐{product}"
    return None
