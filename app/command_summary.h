// Cross-case commands over one database (app/command_summary.cpp).
#pragma once

#include "app/cli_support.h"

namespace fedtriage::cli {

int run_summary(const Args& args, const GlobalOptions& global);
int run_cases(const Args& args, const GlobalOptions& global);

}  // namespace fedtriage::cli
