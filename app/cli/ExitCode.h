#pragma once

// The exit codes live in the core (dbops::ExitCode): the guarded path maps
// its outcomes to them for the CLI and for the console's tests alike.
#include "common/ExitCode.h"
