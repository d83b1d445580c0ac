"""Output serializers whose fields are built once per class instead of once per response.

DRF builds a serializer's fields anew for every instance (a deep copy of the declared fields;
for a `ModelSerializer`, a walk over the model's fields too): about a millisecond per response
for the booking output, more than the SQL of a read. An output serializer only reads, so its
fields can be built once, on a template instance, and reused by every instance of the class:

- `Output` (a `Serializer`) and `ModelOutput` (a `ModelSerializer`) render exactly as DRF would
  (same loop: `get_attribute`, `None` skips `to_representation`, `SkipField`), and
  `SerializerMethodField` methods are called on the instance being rendered.
- The OpenAPI schema still reads the declared fields as usual.
- Contract: the fields of an output must not depend on `context` (the template has none) nor
  keep state between calls; `SerializerMethodField` methods may use `self.context`. Fields are
  declared in the class body only (the plan is built once, on first use).
- Input serializers stay stock DRF: validation binds errors and state to the instance.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.fields import Field, SkipField
from rest_framework.relations import PKOnlyObject

# class -> [(name, field, method name of a SerializerMethodField or None)], built on first use.
_Plan = list[tuple[str, Field, str | None]]
_plans: dict[type, _Plan] = {}


def _plan(cls: type[serializers.Serializer]) -> _Plan:
    plan = _plans.get(cls)
    if plan is None:
        template = cls()
        plan = [
            (
                name,
                field,
                field.method_name if isinstance(field, serializers.SerializerMethodField) else None,
            )
            for name, field in template.fields.items()
            if not field.write_only
        ]
        _plans[cls] = plan  # two threads may both build it: the same plan, harmless
    return plan


class _OutputMixin:
    def to_representation(self, instance: Any) -> dict[str, Any]:
        ret: dict[str, Any] = {}
        for name, field, method_name in _plan(type(self)):  # type: ignore[arg-type]
            if method_name is not None:
                ret[name] = getattr(self, method_name)(instance)
                continue
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            ret[name] = None if check_for_none is None else field.to_representation(attribute)
        return ret


class Output(_OutputMixin, serializers.Serializer):
    """A read-only shape (see the module docstring)."""


class ModelOutput(_OutputMixin, serializers.ModelSerializer):
    """A read-only shape of a model (see the module docstring)."""
