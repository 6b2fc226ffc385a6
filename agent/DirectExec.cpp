// SPDX-License-Identifier: GPL-3.0-or-later
#include "DirectExec.h"

#include <algorithm>
#include <cerrno>
#include <string_view>
#include <sys/stat.h>

namespace {

// Characters bash takes literally in an unquoted word (no quoting,
// expansion, globbing, tilde, comment, operator or history meaning).
bool plainCharacter(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return std::string_view("_@%+=:,./-").find(c) != std::string_view::npos;
}

// The words of `cmd` when it is nothing but plain words separated by blanks.
std::optional<std::vector<std::string>> plainWords(const std::string& cmd)
{
    std::vector<std::string> words;
    std::string word;
    for (char c : cmd) {
        if (c == ' ' || c == '\t') {
            if (!word.empty())
                words.push_back(std::move(word));
            word.clear();
        } else if (plainCharacter(c)) {
            word.push_back(c);
        } else {
            return std::nullopt;
        }
    }
    if (!word.empty())
        words.push_back(std::move(word));
    if (words.empty())
        return std::nullopt;
    return words;
}

// Bash's builtins and reserved words (bash 5.2: `compgen -b`, `compgen -k`),
// which bash runs itself instead of looking for a program. `true` and
// `false` are missing on purpose: without arguments the programs behave as
// the builtins do (the caller sends them to bash when they have arguments,
// since `true --help` differs).
bool shellWord(std::string_view word)
{
    static constexpr std::string_view words[] = {
        "alias", "bg", "bind", "break", "builtin", "caller", "cd", "command", "compgen", "complete",
        "compopt", "continue", "coproc", "declare", "dirs", "disown", "echo", "enable", "eval", "exec",
        "exit", "export", "fc", "fg", "getopts", "hash", "help", "history", "jobs", "kill", "let",
        "local", "logout", "mapfile", "popd", "printf", "pushd", "pwd", "read", "readarray", "readonly",
        "return", "select", "set", "shift", "shopt", "source", "suspend", "test", "time", "times", "trap",
        "type", "typeset", "ulimit", "umask", "unalias", "unset", "wait", "if", "then", "else", "elif",
        "fi", "case", "esac", "for", "while", "until", "do", "done", "in", "function", ".", ":", "[",
        "[[", "]]"};
    return std::find(std::begin(words), std::end(words), word) != std::end(words);
}

std::string_view nameOf(std::string_view entry)
{
    return entry.substr(0, entry.find('='));
}

const std::string* entryNamed(const std::vector<std::string>& env, std::string_view name)
{
    for (const std::string& entry : env) {
        if (nameOf(entry) == name && entry.size() > name.size())
            return &entry;
    }
    return nullptr;
}

std::string_view valueOf(const std::string& entry)
{
    return std::string_view(entry).substr(entry.find('=') + 1);
}

// True when bash would start up, and hand this environment on, exactly as
// the agent does without it. Found by running `env -i NAME=x bash -c env`
// for every variable in bash(1): these are rewritten, dropped, reported on
// stderr or change how bash finds and runs a command. PWD, OLDPWD, SHLVL
// and `_` are handled by the caller; the rest pass through bash untouched.
bool bashLeavesAlone(const std::vector<std::string>& env)
{
    static constexpr std::string_view rewritten[] = {
        "COMP_WORDBREAKS", "ENV", "EPOCHREALTIME", "EPOCHSECONDS", "EXECIGNORE", "HISTCMD", "IFS",
        "LINENO", "OPTERR", "OPTIND", "POSIXLY_CORRECT", "POSIX_PEDANTIC", "PPID", "PS1",
        "PS2", "PS4", "RANDOM", "SECONDS", "SHELLOPTS", "SRANDOM"};
    std::vector<std::string_view> names;
    names.reserve(env.size());
    for (const std::string& entry : env) {
        std::string_view name = nameOf(entry);
        if (name.empty() || name.size() == entry.size())
            return false; // no "NAME=": nothing says what bash makes of it
        // BASH_ENV is sourced, BASH_FUNC_* define functions, BASHOPTS sets
        // options, the others bash sets itself or complains about.
        if (name.substr(0, 4) == "BASH")
            return false;
        if (std::find(std::begin(rewritten), std::end(rewritten), name) != std::end(rewritten))
            return false;
        // A locale that does not exist makes bash warn on stderr.
        if (name == "LC_ALL" && valueOf(entry) != "C" && valueOf(entry) != "POSIX")
            return false;
        names.push_back(name);
    }
    // Which of two entries with one name bash keeps is its business.
    std::sort(names.begin(), names.end());
    return std::adjacent_find(names.begin(), names.end()) == names.end();
}

// SHLVL as bash exports it to a program it execs in place of itself: it
// adds one at start-up and takes it back for the exec. Only values bash
// keeps as they are qualify (no warning at 1000, no reformatting).
bool shellLevelKept(std::string_view value)
{
    if (value.empty() || value.size() > 3 || (value.size() > 1 && value.front() == '0'))
        return false;
    int level = 0;
    for (char c : value) {
        if (c < '0' || c > '9')
            return false;
        level = level * 10 + (c - '0');
    }
    return level <= 998;
}

// Whether the account may execute the file by its mode bits. An ACL or a
// directory on the way the account cannot search makes the exec fail in the
// child, which then leaves the command to bash.
bool executableBy(const struct stat& st, const User& user)
{
    if (user.uid == 0)
        return (st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) != 0;
    if (st.st_uid == user.uid)
        return (st.st_mode & S_IXUSR) != 0;
    if (st.st_gid == user.gid)
        return (st.st_mode & S_IXGRP) != 0;
    return (st.st_mode & S_IXOTH) != 0;
}

enum class Lookup { Found, Missing, Unsure };

Lookup inspect(const std::string& file, const User& user)
{
    struct stat st{};
    if (::stat(file.c_str(), &st) != 0)
        return errno == ENOENT || errno == ENOTDIR ? Lookup::Missing : Lookup::Unsure;
    // Bash would skip a directory or a file it may not execute and look on;
    // keeping up with that is not worth it, bash can do it.
    return S_ISREG(st.st_mode) && executableBy(st, user) ? Lookup::Found : Lookup::Unsure;
}

// The file bash would execute for `word`, searched like bash's
// find_user_command: PATH's entries in order, "dir/word".
std::optional<std::string> findProgram(const std::string& word, std::string_view path, const User& user)
{
    if (word.find('/') != std::string::npos) {
        // No search; a relative name would be relative to the child's cwd.
        if (word.front() != '/' || inspect(word, user) != Lookup::Found)
            return std::nullopt;
        return word;
    }
    for (std::size_t start = 0; start <= path.size();) {
        std::size_t end = std::min(path.find(':', start), path.size());
        std::string_view dir = path.substr(start, end - start);
        start = end + 1;
        // Empty and relative entries are relative to the child's cwd, `~`
        // ones are expanded by bash: all left to bash.
        if (dir.empty() || dir.front() != '/')
            return std::nullopt;
        std::string file(dir);
        if (file.back() != '/')
            file += '/';
        file += word;
        switch (inspect(file, user)) {
        case Lookup::Found:
            return file;
        case Lookup::Missing:
            continue;
        case Lookup::Unsure:
            return std::nullopt;
        }
    }
    return std::nullopt; // "command not found" is bash's sentence to say
}

// Bash keeps an inherited absolute PWD that names the working directory
// (possibly through a symbolic link) and otherwise sets it from getcwd().
// The agent only does the latter, so it has to be sure the first case does
// not apply. Stat as the agent: the account sees no more than that.
bool pwdComesFromGetcwd(const std::vector<std::string>& env, const std::string& cwd)
{
    const std::string* entry = entryNamed(env, "PWD");
    if (!entry)
        return true;
    std::string inherited(valueOf(*entry));
    if (inherited.empty() || inherited.front() != '/')
        return true;
    struct stat a{}, b{};
    if (::stat(inherited.c_str(), &a) != 0)
        return errno == ENOENT || errno == ENOTDIR;
    if (::stat(cwd.c_str(), &b) != 0)
        return false;
    return a.st_dev != b.st_dev || a.st_ino != b.st_ino;
}

void setEntry(std::vector<std::string>& env, std::string_view name, std::string value)
{
    std::string entry = std::string(name) + '=' + std::move(value);
    for (std::string& e : env) {
        if (nameOf(e) == name) {
            e = std::move(entry);
            return;
        }
    }
    env.push_back(std::move(entry));
}

} // namespace

std::optional<DirectExec> DirectExec::plan(const std::string& cmd, const std::vector<std::string>& env,
                                           const User& user, const std::string& cwd)
{
    auto words = plainWords(cmd);
    if (!words)
        return std::nullopt;
    const std::string& first = words->front();
    // "a=b" is an assignment; a leading '-' or '+' would be taken as an
    // option of bash itself; "%1" means `fg %1`.
    if (first.find('=') != std::string::npos || first.front() == '-' || first.front() == '+'
        || first.front() == '%' || shellWord(first))
        return std::nullopt;
    if ((first == "true" || first == "false") && words->size() > 1)
        return std::nullopt;
    if (!bashLeavesAlone(env))
        return std::nullopt;

    const std::string* level = entryNamed(env, "SHLVL");
    if (level && !shellLevelKept(valueOf(*level)))
        return std::nullopt;
    const std::string* path = entryNamed(env, "PATH");
    if (!path)
        return std::nullopt;
    auto program = findProgram(first, valueOf(*path), user);
    if (!program || !pwdComesFromGetcwd(env, cwd))
        return std::nullopt;

    DirectExec d;
    d.program_ = std::move(*program);
    d.argv_ = std::move(*words);
    d.env_ = env;
    if (!level)
        setEntry(d.env_, "SHLVL", "0"); // bash: unset counts as 0, +1, -1
    setEntry(d.env_, "_", d.program_);
    // The value is filled in by the child; until then it is all NULs.
    setEntry(d.env_, "PWD", std::string(kPwdCapacity, '\0'));
    for (std::size_t i = 0; i < d.env_.size(); ++i) {
        if (nameOf(d.env_[i]) == "PWD")
            d.pwdIndex_ = i;
        else if (nameOf(d.env_[i]) == "OLDPWD")
            d.oldPwdIndex_ = i;
    }
    return d;
}
