// The embedded SQLite back end of the analysis store (the default): one database file. Writers
// queue on the file's lock (WAL, busy timeout, retry); readers are never blocked. Private to
// lib/store: everything else opens a store through open_store().
#pragma once

#include <memory>
#include <string>

#include "lib/store/store.h"

namespace fedtriage {

// Opens or creates the database file and brings its schema up to date. nullptr with `*error`
// set when the file is not SQLite, belongs to another application, has a newer schema than
// this build knows, or cannot be opened.
std::unique_ptr<Store> open_sqlite_store(const std::string& path, const StoreOptions& options,
                                         std::string* error);

}  // namespace fedtriage
