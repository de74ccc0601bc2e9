#include "diagnostics.hpp"

#include <cstdio>

namespace htvm_import {

std::string display_text(const std::string& text, std::size_t limit) {
    std::string out;
    std::size_t shown = 0;
    for (char c : text) {
        if (shown == limit) return out + "...";
        const auto byte = static_cast<unsigned char>(c);
        const bool second_question_mark = c == '?' && !out.empty() && out.back() == '?';
        if (byte >= 32 && byte < 127 && c != '\\' && !second_question_mark) {
            out += c;
        } else {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned>(byte));
            out += escaped;
        }
        ++shown;
    }
    return out;
}

std::string display_number(double value) {
    char text[64];
    std::snprintf(text, sizeof text, "%.9g", value);
    return text;
}

}  // namespace htvm_import
