// SPDX-License-Identifier: GPL-3.0-or-later
#include "WatchTable.h"

#include "Connection.h"
#include "Json.h"
#include "Paths.h"
#include "RandomId.h"

#include <cerrno>
#include <cstring>
#include <sys/inotify.h>

WatchTable::WatchTable(EventLoop& loop) : loop_(loop) {}

bool WatchTable::handles(const Request& request)
{
    const std::string& op = request.op;
    return op == "watch_start" || op == "watch_poll" || op == "watch_stop" || op == "watch_stream";
}

std::optional<Response> WatchTable::handle(const Request& request, const Users& users, Connection& connection)
{
    const std::string& op = request.op;
    if (op == "watch_start")
        return start(request, users);
    if (op == "watch_poll")
        return poll(request);
    if (op == "watch_stop")
        return stop(request);
    return stream(request, connection);
}

Response WatchTable::start(const Request& r, const Users& users)
{
    auto user = users.forRequest(r.header);
    if (!user)
        return Response::fail(user.failure());
    auto path = Paths::resolve(*user, r.header, "path", Paths::Empty::MeansHome);
    if (!path)
        return Response::fail(path.failure());
    auto recursive = Json::boolean(r.header, "recursive", false);
    if (!recursive)
        return Response::fail(recursive.failure());
    if (watches_.size() >= kMaxWatches)
        return Response::fail(Failure::conflict("All " + std::to_string(kMaxWatches)
                                                + " file watches of the sandbox are in use; stop one first."));
    Fd inotify(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
    if (!inotify.valid())
        return Response::fail(Failure::internal("Cannot watch " + *path + ": inotify_init1 failed: "
                                                + std::strerror(errno) + "."));
    DirWatch::Info info;
    info.id = RandomId::make("wch_");
    info.path = Paths::withoutTrailingSlashes(*path);
    info.recursive = *recursive;
    info.user = *user;
    auto watch = std::make_unique<DirWatch>(loop_, info, std::move(inotify));
    if (auto failure = watch->begin())
        return Response::fail(*failure);
    watches_.push_back(std::move(watch));
    Response resp = Response::ok();
    resp.header["watch_id"] = info.id;
    resp.header["path"] = info.path;
    return resp;
}

Result<DirWatch*> WatchTable::find(const nlohmann::json& header)
{
    auto id = Json::requiredString(header, "watch_id");
    if (!id)
        return id.failure();
    for (auto& w : watches_) {
        if (w->info().id == *id)
            return w.get();
    }
    return Failure{"not_found", "No such file watch: " + *id + "."};
}

Response WatchTable::poll(const Request& r)
{
    auto watch = find(r.header);
    if (!watch)
        return Response::fail(watch.failure());
    return (*watch)->poll();
}

Response WatchTable::stop(const Request& r)
{
    auto watch = find(r.header);
    if (!watch)
        return Response::fail(watch.failure());
    DirWatch* doomed = *watch;
    std::erase_if(watches_, [doomed](const auto& w) { return w.get() == doomed; });
    return Response::ok();
}

std::optional<Response> WatchTable::stream(const Request& r, Connection& connection)
{
    auto watch = find(r.header);
    if (!watch)
        return Response::fail(watch.failure());
    Fd fd = connection.detach();
    if (!fd.valid())
        return std::nullopt; // the client already left
    DirWatch* w = *watch;
    w->addStream(std::make_shared<Stream>(loop_, std::move(fd), "event stream of " + w->info().id));
    return std::nullopt;
}
