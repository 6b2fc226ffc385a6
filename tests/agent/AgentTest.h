// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AgentClient.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <optional>

// The agent refused `reply` with error `code` and a sentence saying why.
#define AGENT_EXPECT_REFUSED(reply, code)                                                              \
    QVERIFY2((reply).received, qPrintable((reply).transportError));                                    \
    QCOMPARE((reply).header.value(QStringLiteral("ok")).toBool(true), false);                          \
    QCOMPARE((reply).errorCode(), (code));                                                             \
    QVERIFY(!(reply).errorMessage().isEmpty())

// End to end: starts the real ai2in-agent with --listen and checks every
// operation of agent/PROTOCOL.md, plus hostile input. The slots are spread
// over AgentTest*.cpp by area; tst_agent.cpp holds the fixture.
class AgentTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void ping();
    void inheritedListeningSocket();
    void run_data();
    void run();
    void runCwdAndEnv();
    void runUserEnvironment();
    void runTimeout();
    void runTimeoutsOverlap();
    void runReplacesInvalidUtf8();
    void runRejects_data();
    void runRejects();
    void runAsUnprivilegedUser();
    void startListLogsKill();
    void killReachesWholeGroup();
    void killEscalatesToSigkill();
    void killWithSignal();
    void stdinWithEof();
    void stdinAfterExitIsRefused();
    void outputIsTruncatedAt4MiB();
    void orphansAreReaped();
    void finishedCommandsAreCapped();
    void listWithPathListsFiles();
    void manyClientsAtOnce();
    void slowClientDoesNotBlockOthers();
    void halfClosedClientGetsItsAnswer();

    void simpleCommands_data();
    void simpleCommands();
    void directExecMatchesBash_data();
    void directExecMatchesBash();
    void pwdAsBashSetsIt_data();
    void pwdAsBashSetsIt();
    void directExecFailingChdir();
    void directExecOwnSession();
    void directExecStdin();

    void writeCreatesParentsAndReadsBackBinary();
    void writeIsAtomicAndKeepsMode();
    void relativePathsAreInHome();
    void listDepth();
    void statAndExists();
    void removeRecursiveNeverFollowsLinks();
    void renameCreatesParents();
    void mkdirCreatedFlag();
    void readTooLarge();
    void fileErrors_data();
    void fileErrors();
    void filesAsUnprivilegedUser();

    void tcpTableParse_data();
    void tcpTableParse();
    void portsSeesListener();
    void tunnelRelaysHttp();
    void tunnelUploadWithHalfClose();
    void tunnelPeersVanish();
    void tunnelRefused();
    void tunnelBadPort_data();
    void tunnelBadPort();

    void codeRunKeepsStateAndMapsOutput();
    void codeTimeoutInterrupts();
    void codeRestartForgets();
    void codeBadInput_data();
    void codeBadInput();

    void badInput_data();
    void badInput();
    void disconnectMidRequest_data();
    void disconnectMidRequest();

    void ptyEchoesInput();
    void ptyShellResizeAndExitCode();
    void ptyReadDrains();
    void ptyRingOverflowDrops();
    void ptyStreamIsCompleteForSlowReader();
    void ptyStreamReconnectsFromOffset();
    void ptyTwoStreamsAndKill();
    void ptyStreamClientLeavesWhileBlocked();
    void ptyErrors_data();
    void ptyErrors();
    void ptyResizeRejectsBadSizes();

    void watchCreateModifyRemove();
    void watchRecursive();
    void watchStopAndUnknownIds();
    void watchStream();
    void watchErrors_data();
    void watchErrors();

    void touchFold_data();
    void touchFold();
    void runRecordsTouchedFiles();
    void touchedOfBackgroundAndCapped();

public:
    struct Account {
        QString name;
        uint uid = 0;
        QString home;
    };
    static std::optional<Account> accountWhere(const std::function<bool(const Account&)>& match);
    static bool groupAlive(qint64 pgid);

private:
    QJsonObject withUser(QJsonObject h) const;
    AgentReply call(const QJsonObject& h, const QByteArray& body = {}, int timeoutMs = 20000) const;
    AgentReply runCmd(const QString& cmd, QJsonObject extra = {}) const;
    QJsonObject commandSummary(const QString& id) const;
    bool waitForStatus(const QString& id, const QString& status, int ms) const;
    void expectAgentServing() const;
    static quint16 freePort();
    QJsonArray listeningPorts() const;
    bool isListening(quint16 port) const;
    bool waitForListener(quint16 port, int ms) const;
    // Starts a server command and waits until its port listens; its id or "".
    QString startServer(const QString& cmd, quint16 port) const;
    // The answer and every frame of one code_run.
    QList<QJsonObject> runCode(const QString& code, int timeoutMs = 0) const;
    QString ptyStart(const QString& cmd, QJsonObject extra = {}) const;
    QByteArray ptyReadUntil(const QString& id, const QByteArray& needle, int ms, AgentReply* last = nullptr) const;
    QString watchStart(const QString& dir, bool recursive) const;
    QList<QJsonObject> watchPollUntil(const QString& id, const QList<QJsonObject>& wanted, int ms) const;
    QString path(const QString& rel) const { return m_dir.path() + u'/' + rel; }
    QJsonObject asNobodyIn(const QString& dir) const;

    QTemporaryDir m_dir;
    QProcess m_agent;
    std::optional<AgentClient> m_client;
    QString m_user;
    qint64 m_survivorGroup = 0;
};
