from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.bootstrap_check_step import BootstrapCheckStep, check_bootstrap_check_step

if TYPE_CHECKING:
    from ..models.bootstrap_check_problem_type_0 import BootstrapCheckProblemType0


T = TypeVar("T", bound="BootstrapCheck")


@_attrs_define
class BootstrapCheck:
    """A first start's progress: the universe synced, then scored (until a run scored any).

    Attributes:
        problem (BootstrapCheckProblemType0 | None): Why the step's last run ended without success (KuCoin unreachable:
            its `degraded` problem); it is retried with backoff.
        progress (float): Of the whole: the steps done and this one.
        run_id (int | None): The step's run going now (`/jobs/runs/{id}`).
        step (BootstrapCheckStep): The step under way.
        step_progress (float): Its run's progress (0 while none).
    """

    problem: BootstrapCheckProblemType0 | None
    progress: float
    run_id: int | None
    step: BootstrapCheckStep
    step_progress: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.bootstrap_check_problem_type_0 import BootstrapCheckProblemType0  # noqa: PLC0415

        problem: dict[str, Any] | None
        if isinstance(self.problem, BootstrapCheckProblemType0):
            problem = self.problem.to_dict()
        else:
            problem = self.problem

        progress = self.progress

        run_id: int | None
        run_id = self.run_id

        step: str = self.step

        step_progress = self.step_progress

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "problem": problem,
                "progress": progress,
                "run_id": run_id,
                "step": step,
                "step_progress": step_progress,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bootstrap_check_problem_type_0 import BootstrapCheckProblemType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_problem(data: object) -> BootstrapCheckProblemType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                problem_type_0 = BootstrapCheckProblemType0.from_dict(data)

                return problem_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BootstrapCheckProblemType0 | None, data)

        problem = _parse_problem(d.pop("problem"))

        progress = d.pop("progress")

        def _parse_run_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        run_id = _parse_run_id(d.pop("run_id"))

        step = check_bootstrap_check_step(d.pop("step"))

        step_progress = d.pop("step_progress")

        bootstrap_check = cls(
            problem=problem,
            progress=progress,
            run_id=run_id,
            step=step,
            step_progress=step_progress,
        )

        bootstrap_check.additional_properties = d
        return bootstrap_check

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
