// SPDX-License-Identifier: GPL-3.0-or-later
#include "PtyTable.h"

#include "Clock.h"
#include "Connection.h"
#include "Json.h"
#include "Paths.h"
#include "PtySpawner.h"
#include "RandomId.h"

#include <algorithm>
#include <cstdint>

PtyTable::PtyTable(EventLoop& loop) : loop_(loop) {}

bool PtyTable::handles(const Request& request)
{
    const std::string& op = request.op;
    return op == "pty_start" || op == "pty_send" || op == "pty_read" || op == "pty_resize"
        || op == "pty_kill" || op == "pty_list" || op == "pty_stream";
}

std::optional<Response> PtyTable::handle(const Request& request, const Users& users, Connection& connection)
{
    prune();
    const std::string& op = request.op;
    if (op == "pty_start")
        return start(request, users);
    if (op == "pty_send")
        return send(request);
    if (op == "pty_read")
        return read(request);
    if (op == "pty_resize")
        return resize(request);
    if (op == "pty_kill")
        return kill(request);
    if (op == "pty_list")
        return list();
    return stream(request, connection);
}

// cols and rows are required: a terminal of a guessed size garbles screens.
static Result<int> terminalSize(const nlohmann::json& header, const char* key)
{
    if (!header.contains(key) || header[key].is_null())
        return Failure::badRequest(std::string("Field '") + key + "' is required.");
    auto value = Json::integer(header, key, 0, 1, PtyTable::kMaxSize);
    if (!value)
        return value.failure();
    return static_cast<int>(*value);
}

Response PtyTable::start(const Request& r, const Users& users)
{
    auto cols = terminalSize(r.header, "cols");
    if (!cols)
        return Response::fail(cols.failure());
    auto rows = terminalSize(r.header, "rows");
    if (!rows)
        return Response::fail(rows.failure());
    auto cmd = Json::optionalString(r.header, "cmd", "");
    if (!cmd)
        return Response::fail(cmd.failure());
    if (cmd->find('\0') != std::string::npos)
        return Response::fail(Failure::badRequest("Field 'cmd' contains a NUL byte."));
    auto user = users.forRequest(r.header);
    if (!user)
        return Response::fail(user.failure());
    auto cwd = Paths::resolve(*user, r.header, "cwd", Paths::Empty::MeansHome);
    if (!cwd)
        return Response::fail(cwd.failure());
    auto env = Json::stringMap(r.header, "env");
    if (!env)
        return Response::fail(env.failure());

    if (ptys_.size() >= kMaxPtys) {
        // Room is made by forgetting the oldest exited terminal, never a live one.
        auto oldest = std::find_if(ptys_.begin(), ptys_.end(), [](const auto& p) { return p->finished(); });
        if (oldest == ptys_.end())
            return Response::fail(Failure::conflict("All " + std::to_string(kMaxPtys)
                                                    + " terminals of the sandbox are in use; kill one first."));
        ptys_.erase(oldest);
    }

    std::string program;
    std::vector<std::string> argv;
    std::string shown;
    if (cmd->empty()) {
        program = user->shell.empty() ? "/bin/bash" : user->shell;
        argv = {program, "-l"};
        shown = program + " -l";
    } else {
        program = "/bin/bash";
        argv = {"bash", "-c", *cmd};
        shown = *cmd;
    }
    auto spawned = PtySpawner::spawn(*user, program, argv, *cwd, *env, *cols, *rows);
    if (!spawned)
        return Response::fail(spawned.failure());

    Pty::Info info;
    info.id = RandomId::make("pty_");
    info.cmd = shown;
    info.user = user->name;
    info.pid = spawned->pid;
    info.cols = *cols;
    info.rows = *rows;
    info.startedAtMs = Clock::wallMs();
    ptys_.push_back(std::make_unique<Pty>(loop_, info, std::move(spawned->master)));
    Response resp = Response::ok();
    resp.header["pty_id"] = info.id;
    resp.header["pid"] = info.pid;
    return resp;
}

Result<Pty*> PtyTable::find(const nlohmann::json& header)
{
    auto id = Json::requiredString(header, "pty_id");
    if (!id)
        return id.failure();
    for (auto& p : ptys_) {
        if (p->info().id == *id)
            return p.get();
    }
    return Failure{"not_found", "No such terminal: " + *id + "."};
}

Response PtyTable::send(const Request& r)
{
    auto pty = find(r.header);
    if (!pty)
        return Response::fail(pty.failure());
    auto written = (*pty)->send(r.body);
    if (!written)
        return Response::fail(written.failure());
    Response resp = Response::ok();
    resp.header["written"] = *written;
    return resp;
}

Response PtyTable::read(const Request& r)
{
    auto found = find(r.header);
    if (!found)
        return Response::fail(found.failure());
    Pty* pty = *found;
    // An exited terminal stays readable (empty data, its exit code) until it
    // is killed or expires, so a client polling for the end cannot miss it.
    return pty->read();
}

Response PtyTable::resize(const Request& r)
{
    auto pty = find(r.header);
    if (!pty)
        return Response::fail(pty.failure());
    auto cols = terminalSize(r.header, "cols");
    if (!cols)
        return Response::fail(cols.failure());
    auto rows = terminalSize(r.header, "rows");
    if (!rows)
        return Response::fail(rows.failure());
    if (auto failure = (*pty)->resize(*cols, *rows))
        return Response::fail(*failure);
    return Response::ok();
}

Response PtyTable::kill(const Request& r)
{
    auto pty = find(r.header);
    if (!pty)
        return Response::fail(pty.failure());
    if (auto failure = (*pty)->kill())
        return Response::fail(*failure);
    return Response::ok();
}

Response PtyTable::list() const
{
    nlohmann::json all = nlohmann::json::array();
    for (const auto& p : ptys_)
        all.push_back(p->summary());
    Response resp = Response::ok();
    resp.header["ptys"] = std::move(all);
    return resp;
}

std::optional<Response> PtyTable::stream(const Request& r, Connection& connection)
{
    auto found = find(r.header);
    if (!found)
        return Response::fail(found.failure());
    Pty* pty = *found;
    uint64_t end = pty->outputEnd();
    auto from = Json::integer(r.header, "from", static_cast<int64_t>(end), 0, INT64_MAX);
    if (!from)
        return Response::fail(from.failure());
    if (static_cast<uint64_t>(*from) > end)
        return Response::fail(Failure::badRequest("Offset " + std::to_string(*from) + " is beyond the end ("
                                                  + std::to_string(end) + ") of the output of terminal "
                                                  + pty->info().id + "."));
    Fd fd = connection.detach();
    if (!fd.valid())
        return std::nullopt; // the client already left
    pty->addStream(std::make_shared<Stream>(loop_, std::move(fd), "output stream of " + pty->info().id), *from);
    return std::nullopt;
}

void PtyTable::onExit(pid_t pid, int waitStatus)
{
    for (auto& p : ptys_) {
        if (p->info().pid == pid && !p->exited()) {
            p->onExit(waitStatus);
            return;
        }
    }
}

void PtyTable::signalAll(int sig)
{
    for (auto& p : ptys_)
        p->signal(sig);
}

void PtyTable::prune()
{
    int64_t now = Clock::monotonicMs();
    std::erase_if(ptys_, [now](const auto& p) {
        return p->finished() && now - *p->finishedAtMs() > kKeepExitedMs;
    });
}
