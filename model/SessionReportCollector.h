// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "EngineClient.h"
#include "SessionReport.h"

#include <QObject>

#include <functional>

class ChangesClient;

// Gathers what a session report shows about one sandbox from the engine:
// its info, the engine's version, the whole activity log (page by page),
// the changes and their patch, and the metrics history. The requests go
// out together and nothing waits for them; `done` is called once, when
// every answer is in. Only the sandbox's info is needed: without it the
// answer is the error, as a sentence. Any other part that fails (the
// changes of a paused sandbox, say) becomes that part's sentence in the
// data, so the report is still made. Deleting the collector drops what is
// still under way, and `done` is never called.
class SessionReportCollector : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(Result<SessionReport::Data>)>;

    // More pages than this (500 entries each) are left out, and the report
    // says so; the engine keeps 2000 entries unless told otherwise.
    static constexpr int kMaxActivityPages = 200;
    static constexpr int kActivityPageSize = 500;

    explicit SessionReportCollector(EngineClient *client, QObject *parent = nullptr);

    // One collection per collector.
    void collect(const QString &id, Done done);
    bool isBusy() const { return m_left > 0; }

Q_SIGNALS:
    // What is being waited for, as a sentence for the status bar.
    void progress(const QString &text);

private:
    void readActivity(qint64 after, int page);
    void partDone();

    EngineClient *m_client;
    ChangesClient *m_changes;
    QString m_id;
    Done m_done;
    SessionReport::Data m_data;
    std::optional<ApiError> m_infoError;
    int m_left = 0;
    int m_parts = 0;
};
