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

const char *const attribution_names[ATTR__MAX] = {
    [ATTR_NONE] = "", [ATTR_OFFICIAL] = "official",
    [ATTR_ON_RECORD] = "on-record", [ATTR_ANONYMOUS] = "anonymous",
    [ATTR_ONE_SIDE] = "one-side",
};

const char *const grade_reliability[6] = {
    "completely reliable", "usually reliable", "fairly reliable",
    "not usually reliable", "unreliable", "reliability cannot be judged",
};

const char *const grade_credibility[6] = {
    "confirmed by other sources", "probably true", "possibly true",
    "doubtful", "improbable", "truth cannot be judged",
};
