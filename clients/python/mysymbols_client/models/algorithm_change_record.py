from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.algorithm_change_record_after import AlgorithmChangeRecordAfter
    from ..models.algorithm_change_record_before import AlgorithmChangeRecordBefore
    from ..models.algorithm_change_record_evidence_type_0 import AlgorithmChangeRecordEvidenceType0


T = TypeVar("T", bound="AlgorithmChangeRecord")


@_attrs_define
class AlgorithmChangeRecord:
    """
    Attributes:
        actor (str):
        after (AlgorithmChangeRecordAfter):
        before (AlgorithmChangeRecordBefore):
        changed_at (datetime.datetime):
        evidence (AlgorithmChangeRecordEvidenceType0 | None):
        id (int):
    """

    actor: str
    after: AlgorithmChangeRecordAfter
    before: AlgorithmChangeRecordBefore
    changed_at: datetime.datetime
    evidence: AlgorithmChangeRecordEvidenceType0 | None
    id: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.algorithm_change_record_evidence_type_0 import AlgorithmChangeRecordEvidenceType0  # noqa: PLC0415

        actor = self.actor

        after = self.after.to_dict()

        before = self.before.to_dict()

        changed_at = self.changed_at.isoformat()

        evidence: dict[str, Any] | None
        if isinstance(self.evidence, AlgorithmChangeRecordEvidenceType0):
            evidence = self.evidence.to_dict()
        else:
            evidence = self.evidence

        id = self.id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "actor": actor,
                "after": after,
                "before": before,
                "changed_at": changed_at,
                "evidence": evidence,
                "id": id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.algorithm_change_record_after import AlgorithmChangeRecordAfter  # noqa: PLC0415
        from ..models.algorithm_change_record_before import AlgorithmChangeRecordBefore  # noqa: PLC0415
        from ..models.algorithm_change_record_evidence_type_0 import AlgorithmChangeRecordEvidenceType0  # noqa: PLC0415

        d = dict(src_dict)
        actor = d.pop("actor")

        after = AlgorithmChangeRecordAfter.from_dict(d.pop("after"))

        before = AlgorithmChangeRecordBefore.from_dict(d.pop("before"))

        changed_at = datetime.datetime.fromisoformat(d.pop("changed_at"))

        def _parse_evidence(data: object) -> AlgorithmChangeRecordEvidenceType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                evidence_type_0 = AlgorithmChangeRecordEvidenceType0.from_dict(data)

                return evidence_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AlgorithmChangeRecordEvidenceType0 | None, data)

        evidence = _parse_evidence(d.pop("evidence"))

        id = d.pop("id")

        algorithm_change_record = cls(
            actor=actor,
            after=after,
            before=before,
            changed_at=changed_at,
            evidence=evidence,
            id=id,
        )

        algorithm_change_record.additional_properties = d
        return algorithm_change_record

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
