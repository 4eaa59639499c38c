/*
 * Names of the enumerations in the fact model, shared by check (which
 * parses them) and compose (which prints them).
 */
#include "model.h"

const char *const precondition_status_names[PRE__MAX] = {
    [PRE_STATED] = "stated", [PRE_MET] = "met", [PRE_UNMET] = "unmet",
    [PRE_REJECTED] = "rejected", [PRE_OPEN] = "open",
};

const char *const breach_status_names[BREACH__MAX] = {
    [BREACH_CONFIRMED] = "confirmed", [BREACH_DISPUTED] = "disputed",
    [BREACH_DENIED] = "denied", [BREACH_UNVERIFIED] = "unverified",
};
