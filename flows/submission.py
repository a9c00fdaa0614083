"""Record an agency's submission as a tracked Prefect flow run."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from prefect import flow

from dondoc.actors import api_actor, local_actor, serving_auth_string
from dondoc.config.settings import get_settings
from dondoc.flows.common import context_at, tag_current_run
from dondoc.flows.forms import code_of, directive_in_choice
from dondoc.flows.params import blank_to_none, vi
from dondoc.flows.run_names import submission_run_name
from dondoc.models import SubmissionCreate
from dondoc.service import directive_of, submit


def _recorded_by() -> str:
    from prefect.runtime import deployment

    if deployment.id is None:  # called in this process, e.g. by `dondoc submit`
        return local_actor()
    return api_actor(serving_auth_string())


@flow(
    name="record-submission",
    flow_run_name=submission_run_name,
    validate_parameters=True,
)
def record_submission_flow(
    agency: Annotated[
        str,
        vi(
            "Cơ quan",
            "Cơ quan được giao nhiệm vụ. Với nhiệm vụ của tỉnh đã sáp nhập mà tỉnh mới báo cáo "
            "thay, chọn tỉnh cũ (ví dụ 02 - Hà Giang).",
        ),
    ],
    obligation: Annotated[str, vi("Nhiệm vụ", "Nhiệm vụ báo cáo mà chỉ thị giao.")],
    period: Annotated[
        str,
        vi(
            "Kỳ báo cáo",
            "Kỳ mà chỉ thị giao cho cơ quan: 2026 (năm), 2026-Q1 (quý), 2026-05 (tháng) "
            "hoặc once (một lần).",
        ),
    ],
    document: Annotated[
        str, vi("Số, ký hiệu văn bản", "Số, ký hiệu của văn bản báo cáo, ví dụ 123/BC-UBND.")
    ],
    received_on: Annotated[
        dt.date,
        vi(
            "Ngày nhận",
            "Ngày nhận được báo cáo: không sau ngày hôm nay, không trước ngày ban hành chỉ thị.",
        ),
    ],
    note: Annotated[str, vi("Ghi chú", "Không bắt buộc; để trống nếu không có.")] = "",
    directive: Annotated[
        str,
        vi(
            "Số hiệu chỉ thị",
            "Số hiệu kèm năm ban hành (ví dụ 24/CT-TTg/2016); chỉ cần khi cùng một mã nhiệm "
            "vụ có ở nhiều chỉ thị mà nhiệm vụ đã chọn không ghi chỉ thị; thường để trống.",
        ),
    ] = "",
    allow_future: Annotated[
        bool,
        vi(
            "Chấp nhận ngày nhận sau hôm nay",
            "Chỉ dùng khi diễn tập; thông thường để tắt.",
        ),
    ] = False,
) -> dict[str, object]:
    """Record the report an agency sent and close its task (on time or late). Who recorded it
    is not a parameter: it is the API's authenticated user (or "không xác thực") for a
    deployment run, the operating-system user for a run started in-process (`dondoc submit`)."""
    settings = get_settings()
    data = SubmissionCreate(
        agency=code_of(agency),
        obligation=code_of(obligation),
        period=period,
        directive=blank_to_none(directive) or directive_in_choice(obligation),
        document_number=document,
        received_on=received_on,
        note=blank_to_none(note),
        recorded_by=_recorded_by(),
    )
    task = submit(settings, context_at(None, settings), data, allow_future=allow_future)
    tag_current_run(
        f"agency:{data.agency}",
        f"obligation:{data.obligation}",
        f"period:{task.period}",
        f"directive:{directive_of(settings, task)}",
    )
    return {
        "agency": agency,
        "obligation": obligation,
        "period": task.period,
        "status": task.status,
    }
