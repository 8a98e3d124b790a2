"""Services of the seals app: the lifecycle (here re-exported) and sealing (``services.sealing``)."""

from zhengtong.seals.services.lifecycle import (apply, change_pin, confirm, custodians, decide_as_head,
                                                decide_as_operator, operators, record_wrong_pin, report_lost,
                                                revoke, revoke_seals_of_ended_unit, unlock, withdraw)

__all__ = ["apply", "change_pin", "confirm", "custodians", "decide_as_head", "decide_as_operator", "operators",
           "record_wrong_pin", "report_lost", "revoke", "revoke_seals_of_ended_unit", "unlock", "withdraw"]
