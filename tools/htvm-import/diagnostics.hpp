// How the importer refuses a model, and how strings and numbers from a model file appear in
// its messages and in the generated header's comments. Shared by every front end and the printer.
#pragma once
#include <cstddef>
#include <stdexcept>
#include <string>

namespace htvm_import {

// Every problem in the input is diagnosed by throwing this; the message names the operator or
// tensor concerned and is printed as is (strings from the file in it are escaped, see display_text).
struct import_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The model file cannot be read (missing, unreadable): not a verdict on the model.
struct file_error : import_error {
    using import_error::import_error;
};

// A string from the file as it may appear in a message or in a // comment of the generated header:
// printable ASCII only, everything else (control characters, newlines, non-ASCII bytes) and the
// backslash as \xNN, a second '?' in a row too (no trigraph), cut to `limit` characters plus "...".
// So no string from the file can start a line, splice lines, or end a comment.
std::string display_text(const std::string& text, std::size_t limit = 100);

// A scale, factor or other real number as messages and comments show it: 9 significant digits,
// enough to tell any two floats apart.
std::string display_number(double value);

}  // namespace htvm_import
