// SPDX-License-Identifier: GPL-3.0-or-later
#include "Agent.h"

#include "Clock.h"
#include "EventLoop.h"
#include "FileOps.h"
#include "Json.h"
#include "Log.h"
#include "Users.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <malloc.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef AI2IN_AGENT_VERSION
#define AI2IN_AGENT_VERSION "0.1.0"
#endif

static constexpr int64_t kShutdownGraceMs = 2000;

Agent::Agent(EventLoop& loop, Fd listener)
    : loop_(loop), listener_(std::move(listener)),
      touches_(loop), commands_(loop, [this](uint64_t id, const Response& r) { reply(id, r); }, touches_),
      ports_(loop, [this](uint64_t id, const Response& r) { reply(id, r); },
             [this](uint64_t id) {
                 auto it = connections_.find(id);
                 return it == connections_.end() ? Fd() : it->second->detach();
             },
             [this] { return code_.ownPorts(); }),
      code_(loop, [this](uint64_t id, const Response& r) { reply(id, r); }, touches_),
      ptys_(loop), watches_(loop), startedMs_(Clock::monotonicMs()), isInit_(getpid() == 1)
{
}

bool Agent::start()
{
    sigset_t set;
    sigemptyset(&set);
    for (int sig : {SIGCHLD, SIGTERM, SIGINT})
        sigaddset(&set, sig);
    signals_.reset(signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
    if (!signals_.valid()) {
        Log::sysError("signalfd", errno);
        return false;
    }
    spare_.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (!spare_.valid())
        Log::sysError("open /dev/null (spare descriptor)", errno);
    if (!loop_.watch(signals_.get(), EPOLLIN, [this](uint32_t) { onSignals(); }))
        return false;
    if (!loop_.watch(listener_.get(), EPOLLIN, [this](uint32_t) { acceptClients(); }))
        return false;
    // Children may have ended before the signalfd existed.
    reapChildren();
    return true;
}

void Agent::acceptClients()
{
    for (;;) {
        int fd = accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EAGAIN)
                return;
            if ((errno == EMFILE || errno == ENFILE) && spare_.valid()) {
                // Out of descriptors: level-triggered epoll would spin on the
                // pending client. Free the spare, accept and drop the client,
                // take the spare back.
                Log::line("out of file descriptors; refusing a client");
                spare_.reset();
                Fd dropped(accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
                dropped.reset();
                spare_.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
                continue;
            }
            Log::sysError("accept4", errno);
            return;
        }
        uint64_t id = nextConnection_++;
        auto connection = std::make_unique<Connection>(
            loop_, Fd(fd), id, [this](Connection& c, Request r) { dispatch(c, std::move(r)); },
            [this](uint64_t closed) { dropConnection(closed); });
        if (!connection->start())
            continue;
        connections_.emplace(id, std::move(connection));
    }
}

void Agent::dropConnection(uint64_t id)
{
    auto it = connections_.find(id);
    if (it == connections_.end())
        return;
    // The connection is on the call stack; it is deleted once the batch ends.
    std::shared_ptr<Connection> doomed(std::move(it->second));
    connections_.erase(it);
    loop_.post([doomed]() mutable {
        bool large = doomed->wasLarge();
        doomed.reset();
        // Many small blocks (big JSON, 4 MiB of output) stay in the heap
        // otherwise; the agent should be back to its idle size between requests.
        if (large)
            malloc_trim(0);
    });
}

void Agent::reply(uint64_t id, const Response& response)
{
    auto it = connections_.find(id);
    if (it != connections_.end())
        it->second->respond(response);
}

void Agent::dispatch(Connection& connection, Request request)
{
    try {
        if (request.op == "ping") {
            Response r = Response::ok();
            r.header["version"] = AI2IN_AGENT_VERSION;
            r.header["pid"] = getpid();
            r.header["uptime_ms"] = Clock::monotonicMs() - startedMs_;
            connection.respond(r);
            return;
        }
        if (request.op == "claim") {
            connection.respond(claim(request));
            return;
        }
        if (FileOps::handles(request)) {
            Users users = Users::load();
            connection.respond(FileOps::handle(request, users));
            return;
        }
        if (CommandTable::handles(request)) {
            if (shuttingDown_ && (request.op == "run" || request.op == "start")) {
                connection.respond(Response::fail(Failure::internal("The agent is shutting down; no new commands start.")));
                return;
            }
            Users users = Users::load();
            auto r = commands_.handle(request, users, connection.id());
            if (r)
                connection.respond(std::move(*r));
            return;
        }
        if (WatchTable::handles(request)) {
            Users users = Users::load();
            auto r = watches_.handle(request, users, connection);
            if (r)
                connection.respond(std::move(*r));
            return;
        }
        if (PtyTable::handles(request)) {
            if (shuttingDown_ && request.op == "pty_start") {
                connection.respond(Response::fail(Failure::internal("The agent is shutting down; no new terminals start.")));
                return;
            }
            Users users = Users::load();
            auto r = ptys_.handle(request, users, connection);
            if (r)
                connection.respond(std::move(*r));
            return;
        }
        if (PortOps::handles(request)) {
            auto r = ports_.handle(request, connection.id());
            if (r)
                connection.respond(std::move(*r));
            return;
        }
        if (KernelDriver::handles(request)) {
            Users users = Users::load();
            auto r = code_.handle(request, users, connection);
            if (r)
                connection.respond(std::move(*r));
            return;
        }
        connection.respond(Response::fail({"unknown_op", "Unknown operation: '" + request.op + "'."}));
    } catch (const std::exception& e) {
        // Last line of defence: one bad request must not take the sandbox's PID 1 down.
        Log::line(std::string("request '") + request.op + "' failed: " + e.what());
        connection.respond(Response::fail(Failure::internal(
            std::string("The agent could not complete '") + request.op + "': " + e.what() + ".")));
    }
}

Response Agent::claim(const Request& request)
{
    // A warm sandbox of the engine's pool becomes someone's: it gets their
    // envs, and from now on looks as if it had just started. Nothing has run
    // in it yet (the engine only pinged it), so there is nothing else to undo.
    auto envs = Json::stringMap(request.header, "envs");
    if (!envs)
        return Response::fail(envs.failure());
    for (const auto& [key, value] : *envs) {
        if (key.empty() || key.find('=') != std::string::npos)
            return Response::fail(Failure::badRequest("The variable name '" + key + "' is not valid."));
    }
    for (const auto& [key, value] : *envs) {
        if (::setenv(key.c_str(), value.c_str(), 1) != 0)
            return Response::fail(Failure::internal("Cannot set the variable '" + key + "': " + std::strerror(errno)
                                                    + "."));
    }
    commands_.refreshOutputBudget();
    startedMs_ = Clock::monotonicMs();
    return Response::ok();
}

void Agent::onSignals()
{
    for (;;) {
        signalfd_siginfo info{};
        ssize_t n = ::read(signals_.get(), &info, sizeof info);
        if (n < 0 && errno == EINTR)
            continue;
        if (n != static_cast<ssize_t>(sizeof info))
            break;
        if (info.ssi_signo == SIGCHLD)
            continue; // signals coalesce; the reap loop below handles them all
        Log::line(std::string("received ") + (info.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT")
                  + ", stopping");
        beginShutdown();
    }
    reapChildren();
}

void Agent::reapChildren()
{
    for (;;) {
        int status = 0;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid < 0 && errno == EINTR)
            continue;
        if (pid < 0) {
            if (errno == ECHILD && shuttingDown_)
                finishShutdown();
            else if (errno != ECHILD)
                Log::sysError("waitpid", errno);
            return;
        }
        if (pid == 0)
            return;
        commands_.onExit(pid, status);
        code_.onExit(pid, status);
        ptys_.onExit(pid, status);
    }
}

void Agent::beginShutdown()
{
    if (shuttingDown_)
        return;
    shuttingDown_ = true;
    loop_.unwatch(listener_.get());
    listener_.reset();
    // As PID 1, kill(-1) reaches everything in the sandbox. Anywhere else it
    // would reach the whole host, so only our own commands are signalled.
    if (isInit_) {
        if (::kill(-1, SIGTERM) != 0 && errno != ESRCH)
            Log::sysError("kill(-1, SIGTERM)", errno);
    } else {
        commands_.signalAll(SIGTERM);
        code_.signal(SIGTERM);
        ptys_.signalAll(SIGTERM);
    }
    shutdownTimer_ = std::make_unique<Timer>(loop_, [this] {
        if (isInit_) {
            if (::kill(-1, SIGKILL) != 0 && errno != ESRCH)
                Log::sysError("kill(-1, SIGKILL)", errno);
        } else {
            commands_.signalAll(SIGKILL);
            code_.signal(SIGKILL);
            ptys_.signalAll(SIGKILL);
        }
        finishShutdown();
    });
    shutdownTimer_->start(kShutdownGraceMs);
}

void Agent::finishShutdown()
{
    loop_.quit(0);
}
