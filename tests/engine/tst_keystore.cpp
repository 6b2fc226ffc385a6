// SPDX-License-Identifier: GPL-3.0-or-later
// API keys over a real SQLite file: the key format, team names, lookups of
// valid, unknown, malformed and revoked keys, and revoking by key or prefix.

#include "Database.h"
#include "KeyStore.h"

#include <QCryptographicHash>
#include <QSet>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

class tst_keystore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void generatedKeysLookLikeKeys();
    void looksLikeKey_data();
    void looksLikeKey();
    void createAcceptsTeams_data();
    void createAcceptsTeams();
    void createRefusesTeams_data();
    void createRefusesTeams();
    void databaseHoldsNoUsableKey();
    void teamOf_data();
    void teamOf();
    void revokeByWholeKey();
    void revokeByPrefix_data();
    void revokeByPrefix();
    void revokeRefuses_data();
    void revokeRefuses();
    void ambiguousPrefixRefused();
    void listShowsPrefixTeamAndState();

private:
    int keyCount();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<KeyStore> m_keys;
};

namespace {

void verifySentence(const QString &message)
{
    QVERIFY2(!message.trimmed().isEmpty(), "the error message is empty");
    QVERIFY2(message.endsWith(QLatin1Char('.')), qPrintable(QStringLiteral("not a sentence: %1").arg(message)));
}

QString hexSha256(const QString &s)
{
    return QString::fromLatin1(QCryptographicHash::hash(s.toUtf8(), QCryptographicHash::Sha256).toHex());
}

// The key with its character at `index` replaced by a different allowed one.
QString changedAt(const QString &key, int index)
{
    QString k = key;
    k[index] = k.at(index) == QLatin1Char('a') ? QLatin1Char('b') : QLatin1Char('a');
    return k;
}

} // namespace

void tst_keystore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_database = std::make_unique<Database>(QStringLiteral("tst_keystore"));
    const Status opened = m_database->open(m_dir->filePath(QStringLiteral("state.db")));
    QVERIFY2(opened.ok(), opened.ok() ? "" : qPrintable(opened.error().message));
    m_keys = std::make_unique<KeyStore>(m_database->db());
}

void tst_keystore::cleanup()
{
    m_keys.reset();
    m_database.reset();
    m_dir.reset();
}

int tst_keystore::keyCount()
{
    const auto l = m_keys->list();
    return l.ok() ? int(l->size()) : -1;
}

void tst_keystore::generatedKeysLookLikeKeys()
{
    QSet<QString> seen;
    for (int i = 0; i < 500; ++i) {
        const QString key = KeyStore::generateKey();
        QVERIFY2(KeyStore::looksLikeKey(key), qPrintable(key));
        QCOMPARE(key.size(), 11 + 32);
        seen.insert(key);
    }
    QCOMPARE(seen.size(), 500);

    const auto created = m_keys->create(QStringLiteral("team"));
    QVERIFY(created.ok());
    QVERIFY2(KeyStore::looksLikeKey(*created), qPrintable(*created));
}

void tst_keystore::looksLikeKey_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<bool>("expected");

    const QString body = QStringLiteral("0123456789abcdefghijklmnopqrstuv");
    QTest::newRow("well formed") << QStringLiteral("ai2in_live_") + body << true;
    QTest::newRow("all digits") << QStringLiteral("ai2in_live_") + QString(32, QLatin1Char('7')) << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("prefix only") << QStringLiteral("ai2in_live_") << false;
    QTest::newRow("31 characters") << QStringLiteral("ai2in_live_") + body.left(31) << false;
    QTest::newRow("33 characters") << QStringLiteral("ai2in_live_") + body + QLatin1Char('x') << false;
    QTest::newRow("upper case body") << QStringLiteral("ai2in_live_") + body.toUpper() << false;
    QTest::newRow("upper case prefix") << QStringLiteral("AI2IN_LIVE_") + body << false;
    QTest::newRow("other kind") << QStringLiteral("ai2in_test_") + body << false;
    QTest::newRow("no prefix") << body << false;
    QTest::newRow("leading space") << QStringLiteral(" ai2in_live_") + body << false;
    QTest::newRow("trailing space") << QStringLiteral("ai2in_live_") + body + QLatin1Char(' ') << false;
    QTest::newRow("trailing newline") << QStringLiteral("ai2in_live_") + body + QLatin1Char('\n') << false;
    QTest::newRow("leading newline") << QLatin1Char('\n') + QStringLiteral("ai2in_live_") + body << false;
    QTest::newRow("NUL inside") << QStringLiteral("ai2in_live_") + body.left(16) + QChar(0) + body.mid(17) << false;
    QTest::newRow("trailing NUL") << QStringLiteral("ai2in_live_") + body + QChar(0) << false;
    QTest::newRow("underscore in body") << QStringLiteral("ai2in_live_") + body.left(31) + QLatin1Char('_') << false;
    QTest::newRow("Arabic-Indic digits")
        << QStringLiteral("ai2in_live_") + QString(32, QChar(0x0663)) << false;
    QTest::newRow("Bearer header") << QStringLiteral("Bearer ai2in_live_") + body << false;
    QTest::newRow("two keys") << QStringLiteral("ai2in_live_") + body + QStringLiteral("ai2in_live_") + body
                              << false;
}

void tst_keystore::looksLikeKey()
{
    QFETCH(QString, key);
    QFETCH(bool, expected);
    QCOMPARE(KeyStore::looksLikeKey(key), expected);
}

void tst_keystore::createAcceptsTeams_data()
{
    QTest::addColumn<QString>("team");
    QTest::newRow("one letter") << QStringLiteral("a");
    QTest::newRow("one digit") << QStringLiteral("0");
    QTest::newRow("mixed") << QStringLiteral("Team-1.prod_eu");
    QTest::newRow("63 characters") << QStringLiteral("T") + QString(62, QLatin1Char('x'));
}

void tst_keystore::createAcceptsTeams()
{
    QFETCH(QString, team);
    const auto key = m_keys->create(team);
    QVERIFY2(key.ok(), key.ok() ? "" : qPrintable(key.error().message));
    const auto owner = m_keys->teamOf(*key);
    QVERIFY(owner.ok());
    QVERIFY(owner->has_value());
    QCOMPARE(**owner, team);
}

void tst_keystore::createRefusesTeams_data()
{
    QTest::addColumn<QString>("team");
    QTest::newRow("empty") << QString();
    QTest::newRow("leading dash") << QStringLiteral("-team");
    QTest::newRow("leading dot") << QStringLiteral(".team");
    QTest::newRow("leading underscore") << QStringLiteral("_team");
    QTest::newRow("space") << QStringLiteral("my team");
    QTest::newRow("slash") << QStringLiteral("a/b");
    QTest::newRow("dot dot") << QStringLiteral("..");
    QTest::newRow("64 characters") << QString(64, QLatin1Char('x'));
    QTest::newRow("very long") << QString(100000, QLatin1Char('x'));
    QTest::newRow("trailing newline") << QStringLiteral("team\n");
    QTest::newRow("embedded newline") << QStringLiteral("team\nother");
    QTest::newRow("NUL") << QStringLiteral("team") + QChar(0);
    QTest::newRow("non-ASCII letter") << QStringLiteral("t\u00e9am");
    QTest::newRow("SQL") << QStringLiteral("x'); DROP TABLE api_keys; --");
    QTest::newRow("percent") << QStringLiteral("%");
}

void tst_keystore::createRefusesTeams()
{
    QFETCH(QString, team);
    const auto key = m_keys->create(team);
    QVERIFY2(!key.ok(), "accepted");
    QCOMPARE(key.error().code, QStringLiteral("bad_request"));
    QCOMPARE(key.error().httpStatus, 400);
    verifySentence(key.error().message);
    // Nothing was stored.
    QCOMPARE(keyCount(), 0);
}

void tst_keystore::databaseHoldsNoUsableKey()
{
    const auto key = m_keys->create(QStringLiteral("team"));
    QVERIFY(key.ok());
    QSqlQuery q(m_database->db());
    QVERIFY(q.exec(QStringLiteral("SELECT * FROM api_keys")));
    int rows = 0;
    while (q.next()) {
        ++rows;
        for (int i = 0; i < q.record().count(); ++i) {
            const QString v = q.value(i).toString();
            QVERIFY2(!v.contains(key->mid(16)), qPrintable(v));
        }
    }
    QCOMPARE(rows, 1);
}

void tst_keystore::teamOf_data()
{
    // {KEY}: a valid key of team "alpha"; {OTHER}: one of team "beta";
    // {REVOKED}: a revoked one of "alpha".
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("team"); // empty: none

    QTest::newRow("valid") << QStringLiteral("{KEY}") << QStringLiteral("alpha");
    QTest::newRow("other team's") << QStringLiteral("{OTHER}") << QStringLiteral("beta");
    QTest::newRow("revoked") << QStringLiteral("{REVOKED}") << QString();
    QTest::newRow("unknown") << QStringLiteral("{UNKNOWN}") << QString();
    QTest::newRow("one character changed") << QStringLiteral("{CHANGED}") << QString();
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("prefix as listed") << QStringLiteral("{PREFIX}") << QString();
    QTest::newRow("upper case") << QStringLiteral("{UPPER}") << QString();
    QTest::newRow("trailing newline") << QStringLiteral("{KEY}\n") << QString();
    QTest::newRow("leading space") << QStringLiteral(" {KEY}") << QString();
    QTest::newRow("with Bearer") << QStringLiteral("Bearer {KEY}") << QString();
    QTest::newRow("the stored hash") << QStringLiteral("{HASH}") << QString();
    QTest::newRow("SQL") << QStringLiteral("' OR '1'='1") << QString();
    QTest::newRow("very long") << QString(1 << 20, QLatin1Char('a')) << QString();
}

void tst_keystore::teamOf()
{
    QFETCH(QString, key);
    QFETCH(QString, team);

    const auto alpha = m_keys->create(QStringLiteral("alpha"));
    const auto beta = m_keys->create(QStringLiteral("beta"));
    const auto revoked = m_keys->create(QStringLiteral("alpha"));
    QVERIFY(alpha.ok() && beta.ok() && revoked.ok());
    QVERIFY(m_keys->revoke(*revoked).ok());

    QString unknown;
    do
        unknown = KeyStore::generateKey();
    while (unknown == *alpha || unknown == *beta || unknown == *revoked);

    key.replace(QStringLiteral("{KEY}"), *alpha)
        .replace(QStringLiteral("{OTHER}"), *beta)
        .replace(QStringLiteral("{REVOKED}"), *revoked)
        .replace(QStringLiteral("{UNKNOWN}"), unknown)
        .replace(QStringLiteral("{CHANGED}"), changedAt(*alpha, alpha->size() - 1))
        .replace(QStringLiteral("{PREFIX}"), alpha->left(16))
        .replace(QStringLiteral("{UPPER}"), alpha->toUpper())
        .replace(QStringLiteral("{HASH}"), hexSha256(*alpha));

    const auto owner = m_keys->teamOf(key);
    QVERIFY2(owner.ok(), owner.ok() ? "" : qPrintable(owner.error().message));
    QCOMPARE(owner->value_or(QString()), team);
}

void tst_keystore::revokeByWholeKey()
{
    const auto a = m_keys->create(QStringLiteral("alpha"));
    const auto b = m_keys->create(QStringLiteral("alpha"));
    QVERIFY(a.ok() && b.ok());

    const Status s = m_keys->revoke(*a);
    QVERIFY2(s.ok(), s.ok() ? "" : qPrintable(s.error().message));
    QVERIFY(!m_keys->teamOf(*a)->has_value());
    QCOMPARE(m_keys->teamOf(*b)->value_or(QString()), QStringLiteral("alpha"));

    // A second time: nothing active matches any more.
    const Status again = m_keys->revoke(*a);
    QVERIFY(!again.ok());
    QCOMPARE(again.error().code, QStringLiteral("not_found"));
    QCOMPARE(again.error().httpStatus, 404);
    verifySentence(again.error().message);

    // A well-formed key that was never issued.
    const Status unknown = m_keys->revoke(changedAt(*b, b->size() - 1));
    QVERIFY(!unknown.ok());
    QCOMPARE(unknown.error().code, QStringLiteral("not_found"));
    QCOMPARE(m_keys->teamOf(*b)->value_or(QString()), QStringLiteral("alpha"));
}

void tst_keystore::revokeByPrefix_data()
{
    QTest::addColumn<int>("length");
    QTest::newRow("as listed (16)") << 16;
    QTest::newRow("shortest (12)") << 12;
    QTest::newRow("14") << 14;
}

void tst_keystore::revokeByPrefix()
{
    QFETCH(int, length);
    const auto key = m_keys->create(QStringLiteral("alpha"));
    QVERIFY(key.ok());
    const auto listed = m_keys->list();
    QVERIFY(listed.ok());
    QCOMPARE(listed->size(), 1);
    QVERIFY(key->startsWith(listed->at(0).prefix));

    const Status s = m_keys->revoke(key->left(length));
    QVERIFY2(s.ok(), s.ok() ? "" : qPrintable(s.error().message));
    QVERIFY(!m_keys->teamOf(*key)->has_value());
    QVERIFY(m_keys->list()->at(0).revokedAt.isValid());
}

void tst_keystore::revokeRefuses_data()
{
    // {KEY}: the only key there is. Each input must leave it valid.
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("code");

    const QString bad = QStringLiteral("bad_request");
    const QString notFound = QStringLiteral("not_found");
    QTest::newRow("empty") << QString() << bad;
    QTest::newRow("prefix without random part") << QStringLiteral("ai2in_live_") << bad;
    QTest::newRow("sandbox id") << QStringLiteral("sbx_0123456789abcdef") << bad;
    QTest::newRow("random text") << QStringLiteral("xxxxxxxxxxxxxxxxxxxx") << bad;
    QTest::newRow("key without its prefix") << QStringLiteral("{KEY_BODY}") << bad;
    QTest::newRow("other prefix") << QStringLiteral("{KEY_UPPER}") << bad;
    QTest::newRow("prefix of another key") << QStringLiteral("{OTHER_PREFIX}") << notFound;
    QTest::newRow("longer than listed, changed after") << QStringLiteral("{LONG_CHANGED}") << notFound;
    QTest::newRow("key with trailing newline") << QStringLiteral("{KEY}\n") << notFound;
    // The prefix is text, not a pattern.
    QTest::newRow("percent wildcard") << QStringLiteral("ai2in_live_%") << notFound;
    QTest::newRow("underscore wildcard") << QStringLiteral("ai2in_live_____") << notFound;
    QTest::newRow("upper-case random part") << QStringLiteral("{PREFIX_UPPER_BODY}") << notFound;
    QTest::newRow("SQL") << QStringLiteral("ai2in_live_' OR 1=1 --") << notFound;
}

void tst_keystore::revokeRefuses()
{
    QFETCH(QString, input);
    QFETCH(QString, code);

    const auto key = m_keys->create(QStringLiteral("alpha"));
    QVERIFY(key.ok());
    if (input.contains(QStringLiteral("{PREFIX_UPPER_BODY}")) && key->mid(11, 5).toUpper() == key->mid(11, 5))
        QSKIP("the listed part of the random key has no letters to change the case of");
    // A prefix with the 12th character changed matches no key.
    const QString otherPrefix = changedAt(key->left(16), 11);
    input.replace(QStringLiteral("{KEY_BODY}"), key->mid(11))
        .replace(QStringLiteral("{KEY_UPPER}"), key->toUpper())
        .replace(QStringLiteral("{OTHER_PREFIX}"), otherPrefix)
        .replace(QStringLiteral("{LONG_CHANGED}"), changedAt(key->left(20), 19))
        .replace(QStringLiteral("{PREFIX_UPPER_BODY}"), key->left(11) + key->mid(11, 5).toUpper())
        .replace(QStringLiteral("{KEY}"), *key);

    const Status s = m_keys->revoke(input);
    QVERIFY2(!s.ok(), "revoked");
    QCOMPARE(s.error().code, code);
    QCOMPARE(s.error().httpStatus, code == QLatin1String("bad_request") ? 400 : 404);
    verifySentence(s.error().message);
    QCOMPARE(m_keys->teamOf(*key)->value_or(QString()), QStringLiteral("alpha"));
    QVERIFY(!m_keys->list()->at(0).revokedAt.isValid());
}

void tst_keystore::ambiguousPrefixRefused()
{
    // 37 keys share a first random character with some other by pigeonhole
    // (36 possible characters); stop at the first pair.
    QMap<QChar, QString> byFirst;
    QString first, second;
    for (int i = 0; i < 37 && second.isEmpty(); ++i) {
        const auto key = m_keys->create(QStringLiteral("team%1").arg(i));
        QVERIFY(key.ok());
        const QChar c = key->at(11);
        if (byFirst.contains(c)) {
            first = byFirst.value(c);
            second = *key;
        }
        byFirst.insert(c, *key);
    }
    QVERIFY(!second.isEmpty());
    const int keys = keyCount();

    const QString shared = first.left(12);
    const Status s = m_keys->revoke(shared);
    QVERIFY2(!s.ok(), "an ambiguous prefix revoked something");
    QCOMPARE(s.error().code, QStringLiteral("bad_request"));
    QCOMPARE(s.error().httpStatus, 400);
    verifySentence(s.error().message);
    QVERIFY(m_keys->teamOf(first)->has_value());
    QVERIFY(m_keys->teamOf(second)->has_value());
    const auto listed = m_keys->list();
    QVERIFY(listed.ok());
    for (const ApiKeyInfo &k : *listed)
        QVERIFY(!k.revokedAt.isValid());
    QCOMPARE(keyCount(), keys);

    // The whole key still tells them apart; then the prefix is unique among
    // the active keys and names the other one.
    QVERIFY(m_keys->revoke(first).ok());
    QVERIFY(m_keys->teamOf(second)->has_value());
    const Status rest = m_keys->revoke(shared);
    QVERIFY2(rest.ok(), rest.ok() ? "" : qPrintable(rest.error().message));
    QVERIFY(!m_keys->teamOf(second)->has_value());
}

void tst_keystore::listShowsPrefixTeamAndState()
{
    const auto empty = m_keys->list();
    QVERIFY(empty.ok());
    QVERIFY(empty->isEmpty());

    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
    const auto a = m_keys->create(QStringLiteral("alpha"));
    QTest::qWait(5); // distinct creation times keep the order well defined
    const auto b = m_keys->create(QStringLiteral("beta"));
    QVERIFY(a.ok() && b.ok());
    QVERIFY(m_keys->revoke(*a).ok());
    const QDateTime after = QDateTime::currentDateTimeUtc().addSecs(1);

    const auto l = m_keys->list();
    QVERIFY(l.ok());
    QCOMPARE(l->size(), 2);
    const ApiKeyInfo &ka = l->at(0);
    const ApiKeyInfo &kb = l->at(1);
    QCOMPARE(ka.team, QStringLiteral("alpha"));
    QCOMPARE(kb.team, QStringLiteral("beta"));
    QCOMPARE(ka.prefix, a->left(16));
    QCOMPARE(kb.prefix, b->left(16));
    // A prefix is not a key.
    QVERIFY(!KeyStore::looksLikeKey(ka.prefix));
    for (const ApiKeyInfo &k : *l) {
        QVERIFY(k.createdAt.isValid());
        QCOMPARE(k.createdAt.timeSpec(), Qt::UTC);
        QVERIFY(k.createdAt >= before && k.createdAt <= after);
    }
    QVERIFY(ka.revokedAt.isValid());
    QVERIFY(ka.revokedAt >= ka.createdAt && ka.revokedAt <= after);
    QVERIFY(!kb.revokedAt.isValid());
}

QTEST_GUILESS_MAIN(tst_keystore)
#include "tst_keystore.moc"
