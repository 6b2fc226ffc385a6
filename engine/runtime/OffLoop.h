// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFuture>
#include <QObject>
#include <QPromise>
#include <QThreadPool>

#include <functional>
#include <memory>

// Blocking work (walking a directory tree, diffing two files) off the event
// loop: `work` runs on Qt's global thread pool, and `done` gets its result
// on `context`'s thread — or never, when `context` is gone by then.
namespace OffLoop {

template <typename T>
void run(QObject *context, std::function<T()> work, std::function<void(T)> done)
{
    auto promise = std::make_shared<QPromise<T>>();
    QFuture<T> future = promise->future();
    promise->start();
    QThreadPool::globalInstance()->start([promise, work = std::move(work)] {
        promise->addResult(work());
        promise->finish();
    });
    future.then(context, [done = std::move(done)](T result) { done(std::move(result)); });
}

} // namespace OffLoop
