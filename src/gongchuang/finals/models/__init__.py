"""The offline final: event, sessions, attendance, on-site tasks, scores, results, certificates.

One module per part of the final; every model (and the upload-path and code helpers the
migrations name as ``gongchuang.finals.models.<name>``) is importable from here.
"""

from .certificates import (
    Certificate,
    CertificateBatch,
    batch_zip_path,
    certificate_number,
    certificate_path,
)
from .codes import CODE_ALPHABET, new_code
from .exchange import ExchangeCase, ExchangeSignup, GuidanceBooking, GuidanceSlot
from .onsite_tasks import OnsiteTask, TaskExtension, TaskSubmission, task_file_path
from .programme import FinalEvent, FinalistAttendance, Session, SessionJudge, SessionParticipant
from .scores import FinalResult, Score, SpecialAward

__all__ = [
    "CODE_ALPHABET",
    "Certificate",
    "CertificateBatch",
    "ExchangeCase",
    "ExchangeSignup",
    "FinalEvent",
    "FinalResult",
    "FinalistAttendance",
    "GuidanceBooking",
    "GuidanceSlot",
    "OnsiteTask",
    "Score",
    "Session",
    "SessionJudge",
    "SessionParticipant",
    "SpecialAward",
    "TaskExtension",
    "TaskSubmission",
    "batch_zip_path",
    "certificate_number",
    "certificate_path",
    "new_code",
    "task_file_path",
]
