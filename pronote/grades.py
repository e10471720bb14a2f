"""Averages as PRONOTE shows them: marks brought back to /20, weighted by their coefficient."""

from decimal import ROUND_HALF_UP, Decimal

TWENTY = Decimal(20)


def on_twenty(value, out_of):
    return value * TWENTY / Decimal(out_of)


def weighted_average(pairs):
    """``pairs`` of (mark on 20, coefficient); ``None`` marks are left out."""
    total = weight = Decimal(0)
    for value, coefficient in pairs:
        if value is None or not coefficient:
            continue
        total += value * coefficient
        weight += coefficient
    if not weight:
        return None
    return (total / weight).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def mean(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return (sum(values) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
