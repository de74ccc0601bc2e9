// htvm-import: a TFLite int8 model in, a C++ header with the htvm network out.
//
//     htvm-import model.tflite -o model.hpp [--name my_model]
//
// Exit status (see exit_code below): 0 the header is written; 2 the model is refused (the message
// names the operator, tensor or limit); 3 the model cannot be read or the header cannot be written;
// 4 a usage error; 5 an internal error. The importer itself never exits with 1, so 1 (a sanitizer
// error) or a signal tells a crash from a refused model.
//
// A run first deletes the header of an earlier run, then imports in memory, then writes the header
// to a temporary file next to it and renames that into place. So whatever stops a run (a refused
// model, a full disk, Ctrl-C, SIGKILL) leaves either the complete new header or no header at all, and
// a build (whose rule is "rerun when the header is missing or older than the model") reruns it. The
// temporary is removed on SIGINT, SIGTERM and SIGHUP; only SIGKILL or a power loss during the write
// can leave one behind, a hidden file (.<header>.XXXXXX) that no build includes.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <string>

#include "header_generator.hpp"
#include "tflite_model.hpp"

namespace {

enum exit_code : int {
    success = 0,
    model_refused = 2,
    file_problem = 3,
    usage_error = 4,
    internal_error = 5,
};

const char* usage =
    "usage: htvm-import MODEL.tflite -o HEADER.hpp [--name IDENTIFIER]\n"
    "  Reads an int8 TFLite model and writes a C++20 header declaring the htvm network `IDENTIFIER::net`,\n"
    "  `IDENTIFIER::model` and the weights. IDENTIFIER defaults to the model's file name.\n"
    "  Exit status: 0 written, 2 model refused, 3 cannot read the model or write the header,\n"
    "  4 usage error, 5 internal error. A failed run leaves no header (not even an older one).\n";

std::string base_name(const std::string& path) {
    const std::size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string directory_of(const std::string& path) {
    const std::size_t slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

std::string default_name(const std::string& model_path) {
    std::string stem = base_name(model_path);
    const std::size_t dot = stem.find('.');
    if (dot != std::string::npos) stem = stem.substr(0, dot);
    std::string name;
    for (char c : stem) name += ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) ? c : '_';
    if (name.empty() || (name[0] >= '0' && name[0] <= '9') || name[0] == '_') name = "model_" + name;
    return name;
}

// The temporary file's name, for the signal handler (which may only call async-signal-safe functions).
char temporary_path[4096];

extern "C" void remove_temporary_and_die(int signal_number) {
    if (temporary_path[0] != '\0') unlink(temporary_path);
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
}

const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};

// Writes `text` to a new temporary file in the header's directory and renames it to `path`.
// Returns an empty string or what went wrong.
std::string write_atomically(const std::string& path, const std::string& text) {
    const std::string pattern = directory_of(path) + "/." + base_name(path) + ".XXXXXX";
    if (pattern.size() >= sizeof temporary_path) return "the path is too long";
    // The handler must never see half a name: signals wait while mkstemp fills it in.
    sigset_t block, previous;
    sigemptyset(&block);
    for (int s : cleanup_signals) sigaddset(&block, s);
    sigprocmask(SIG_BLOCK, &block, &previous);
    std::memcpy(temporary_path, pattern.c_str(), pattern.size() + 1);
    const int fd = mkstemp(temporary_path);
    if (fd < 0) temporary_path[0] = '\0';
    sigprocmask(SIG_SETMASK, &previous, nullptr);
    if (fd < 0) return std::string("cannot create a temporary file next to it: ") + std::strerror(errno);

    std::string problem;
    const mode_t mask = umask(0);  // mkstemp creates 0600; a header gets the usual 0666 & ~umask
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) problem = std::strerror(errno);
    for (std::size_t done = 0; problem.empty() && done < text.size();) {
        const ssize_t n = write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) problem = std::strerror(n < 0 ? errno : EIO);
        else done += static_cast<std::size_t>(n);
    }
    if (problem.empty() && fsync(fd) != 0) problem = std::strerror(errno);
    if (close(fd) != 0 && problem.empty()) problem = std::strerror(errno);
    if (problem.empty() && std::rename(temporary_path, path.c_str()) != 0) problem = std::strerror(errno);
    if (!problem.empty()) unlink(temporary_path);
    temporary_path[0] = '\0';
    return problem;
}

}  // namespace

int main(int argc, char** argv) {
    std::string model_path, output_path, name;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "-h" || arg == "--help") {
            std::fputs(usage, stdout);
            return success;
        } else if ((arg == "-o" || arg == "--output") && i + 1 < argc) {
            output_path = argv[++i];
        } else if (arg == "--name" && i + 1 < argc) {
            name = argv[++i];
        } else if (!arg.empty() && arg[0] != '-' && model_path.empty()) {
            model_path = arg;
        } else {
            std::fprintf(stderr, "htvm-import: unexpected argument '%s'\n%s", htvm_import::display_text(arg).c_str(), usage);
            return usage_error;
        }
    }
    if (model_path.empty() || output_path.empty()) {
        std::fputs(usage, stderr);
        return usage_error;
    }
    if (name.empty()) name = default_name(model_path);

    for (int s : cleanup_signals) std::signal(s, remove_temporary_and_die);
    // The old header goes first: from here on, a run that does not finish leaves no header at all.
    if (unlink(output_path.c_str()) != 0 && errno != ENOENT) {
        std::fprintf(stderr, "htvm-import: error: cannot remove the old '%s': %s\n", output_path.c_str(),
                     std::strerror(errno));
        return file_problem;
    }
    std::string header;
    try {
        header = htvm_import::generate_header(htvm_import::read_tflite_model(model_path),
                                              {name, base_name(model_path)});
    } catch (const htvm_import::file_error& e) {
        std::fprintf(stderr, "htvm-import: error: %s\n", e.what());
        return file_problem;
    } catch (const htvm_import::import_error& e) {
        std::fprintf(stderr, "htvm-import: error: %s: %s\n", model_path.c_str(), e.what());
        return model_refused;
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "htvm-import: internal error: out of memory importing %s\n", model_path.c_str());
        return internal_error;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "htvm-import: internal error importing %s: %s\n", model_path.c_str(), e.what());
        return internal_error;
    }
    const std::string problem = write_atomically(output_path, header);
    if (!problem.empty()) {
        std::fprintf(stderr, "htvm-import: error: cannot write '%s': %s\n", output_path.c_str(), problem.c_str());
        return file_problem;
    }
    return success;
}
