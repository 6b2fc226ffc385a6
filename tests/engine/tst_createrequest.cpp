// SPDX-License-Identifier: GPL-3.0-or-later
// The body of `POST /v1/sandboxes` and the validators other requests share:
// every rule of docs/api.md, as tables of empty, malformed, oversized and
// hostile input.

#include "CreateSandboxRequest.h"
#include "Limits.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

class tst_createrequest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults_data();
    void defaults();
    void everyFieldValid();
    void accepts_data();
    void accepts();
    void refuses_data();
    void refuses();
    void metadataLimitIsBytesOfCompactJson_data();
    void metadataLimitIsBytesOfCompactJson();
    void envsKeepValuesVerbatim();

    void jsonObject_data();
    void jsonObject();
    void timeoutSeconds_data();
    void timeoutSeconds();
    void stringMap_data();
    void stringMap();
    void onlyKnownFields_data();
    void onlyKnownFields();
};

namespace {

// A JSON value written as text; empty text is "absent" (undefined).
QJsonValue jsonValue(const QByteArray &text)
{
    if (text.isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson("{\"v\":" + text + "}", &err);
    if (err.error != QJsonParseError::NoError)
        qFatal("bad test data: %s", text.constData());
    return doc.object().value(QStringLiteral("v"));
}

QByteArray field(const char *name, const QByteArray &valueJson)
{
    return QByteArray("{\"") + name + "\":" + valueJson + "}";
}

// {"k":"vvv…"} of exactly `bytes` bytes as compact JSON.
QByteArray metadataOfSize(int bytes)
{
    return "{\"k\":\"" + QByteArray(bytes - 8, 'v') + "\"}";
}

// An error is a sentence for people: not empty, ending with a full stop.
void verifySentence(const QString &message)
{
    QVERIFY2(!message.trimmed().isEmpty(), "the error message is empty");
    QVERIFY2(message.endsWith(QLatin1Char('.')), qPrintable(QStringLiteral("not a sentence: %1").arg(message)));
    QVERIFY2(!message.at(0).isSpace(), qPrintable(QStringLiteral("starts with a space: %1").arg(message)));
}

} // namespace

void tst_createrequest::defaults_data()
{
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("empty body") << QByteArray();
    QTest::newRow("blank body") << QByteArray(" \r\n\t ");
    QTest::newRow("empty object") << QByteArray("{}");
    QTest::newRow("empty object, spaced") << QByteArray("  {  }\n");
    QTest::newRow("nulls where null means default")
        << QByteArray(R"({"template": null, "timeout": null, "metadata": null, "envs": null})");
    QTest::newRow("empty maps") << QByteArray(R"({"metadata": {}, "envs": {}})");
}

void tst_createrequest::defaults()
{
    QFETCH(QByteArray, body);
    const auto r = CreateSandboxRequest::parse(body);
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
    QCOMPARE(r->templateName, QStringLiteral("base"));
    QVERIFY(!r->timeoutSeconds.has_value());
    QVERIFY(r->metadata.isEmpty());
    QVERIFY(r->envs.isEmpty());
    QCOMPARE(r->cpuCount, 0);
    QCOMPARE(r->memoryMb, 0);
    QCOMPARE(r->previewAuth, false);
}

void tst_createrequest::everyFieldValid()
{
    const QByteArray body = R"({
        "template": "python-3.12",
        "timeout": 300,
        "metadata": {"session": "agent-42", "owner": "ünïcode ✓"},
        "envs": {"FOO": "bar", "_X1": "a=b c", "lower_case": ""},
        "cpu_count": 4,
        "memory_mb": 2048,
        "preview_auth": true
    })";
    const auto r = CreateSandboxRequest::parse(body);
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
    QCOMPARE(r->templateName, QStringLiteral("python-3.12"));
    QVERIFY(r->timeoutSeconds.has_value());
    QCOMPARE(*r->timeoutSeconds, qint64(300));
    StringMap metadata{{QStringLiteral("session"), QStringLiteral("agent-42")},
                       {QStringLiteral("owner"), QStringLiteral("ünïcode ✓")}};
    QCOMPARE(r->metadata, metadata);
    StringMap envs{{QStringLiteral("FOO"), QStringLiteral("bar")},
                   {QStringLiteral("_X1"), QStringLiteral("a=b c")},
                   {QStringLiteral("lower_case"), QString()}};
    QCOMPARE(r->envs, envs);
    QCOMPARE(r->cpuCount, 4);
    QCOMPARE(r->memoryMb, 2048);
    QCOMPARE(r->previewAuth, true);
}

void tst_createrequest::accepts_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("templateName");
    QTest::addColumn<qint64>("timeout"); // -1: none
    QTest::addColumn<int>("cpuCount");
    QTest::addColumn<int>("memoryMb");

    const QString base = QStringLiteral("base");
    QTest::newRow("template one digit") << field("template", "\"0\"") << QStringLiteral("0") << qint64(-1) << 0 << 0;
    QTest::newRow("template all allowed characters")
        << field("template", "\"a.b_c-9\"") << QStringLiteral("a.b_c-9") << qint64(-1) << 0 << 0;
    const QString longest = QStringLiteral("t") + QString(62, QLatin1Char('x'));
    QTest::newRow("template 63 characters")
        << field("template", '"' + longest.toLatin1() + '"') << longest << qint64(-1) << 0 << 0;
    QTest::newRow("timeout 1") << field("timeout", "1") << base << qint64(1) << 0 << 0;
    QTest::newRow("timeout 86400") << field("timeout", "86400") << base << qint64(86400) << 0 << 0;
    QTest::newRow("timeout 60.0 is whole") << field("timeout", "60.0") << base << qint64(60) << 0 << 0;
    QTest::newRow("timeout 1e2") << field("timeout", "1e2") << base << qint64(100) << 0 << 0;
    QTest::newRow("cpu_count 1") << field("cpu_count", "1") << base << qint64(-1) << 1 << 0;
    QTest::newRow("cpu_count max") << field("cpu_count", QByteArray::number(Limits::kMaxCpuCount)) << base
                                   << qint64(-1) << Limits::kMaxCpuCount << 0;
    QTest::newRow("memory_mb min") << field("memory_mb", QByteArray::number(Limits::kMinMemoryMb)) << base
                                   << qint64(-1) << 0 << Limits::kMinMemoryMb;
    QTest::newRow("memory_mb max") << field("memory_mb", QByteArray::number(Limits::kMaxMemoryMb)) << base
                                   << qint64(-1) << 0 << Limits::kMaxMemoryMb;
}

void tst_createrequest::accepts()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, templateName);
    QFETCH(qint64, timeout);
    QFETCH(int, cpuCount);
    QFETCH(int, memoryMb);

    const auto r = CreateSandboxRequest::parse(body);
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
    QCOMPARE(r->templateName, templateName);
    QCOMPARE(r->timeoutSeconds.value_or(-1), timeout);
    QCOMPARE(r->cpuCount, cpuCount);
    QCOMPARE(r->memoryMb, memoryMb);
}

void tst_createrequest::refuses_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("mentions"); // the message names what is wrong; empty: not checked

    const QString invalidJson = QStringLiteral("invalid_json");
    const QString badRequest = QStringLiteral("bad_request");
    const QString tooLarge = QStringLiteral("too_large");

    // Not JSON at all.
    QTest::newRow("truncated object") << QByteArray("{") << invalidJson << 400 << QString();
    QTest::newRow("plain text") << QByteArray("template=base") << invalidJson << 400 << QString();
    QTest::newRow("missing value") << QByteArray(R"({"timeout":})") << invalidJson << 400 << QString();
    QTest::newRow("trailing comma") << QByteArray(R"({"timeout": 5,})") << invalidJson << 400 << QString();
    QTest::newRow("single quotes") << QByteArray("{'timeout': 5}") << invalidJson << 400 << QString();
    QTest::newRow("garbage after object") << QByteArray("{} {}") << invalidJson << 400 << QString();
    QTest::newRow("binary") << QByteArray("\xff\xfe\x00\x01", 4) << invalidJson << 400 << QString();
    QTest::newRow("NUL only") << QByteArray(1, '\0') << invalidJson << 400 << QString();
    QTest::newRow("deeply nested")
        << (QByteArray(R"({"metadata":)") + QByteArray(5000, '[') + QByteArray(5000, ']') + "}") << invalidJson
        << 400 << QString();

    // JSON, but not an object.
    QTest::newRow("array") << QByteArray("[]") << invalidJson << 400 << QString();
    QTest::newRow("array of object") << QByteArray("[{}]") << invalidJson << 400 << QString();
    QTest::newRow("string") << QByteArray("\"base\"") << invalidJson << 400 << QString();
    QTest::newRow("number") << QByteArray("42") << invalidJson << 400 << QString();
    QTest::newRow("true") << QByteArray("true") << invalidJson << 400 << QString();
    QTest::newRow("null") << QByteArray("null") << invalidJson << 400 << QString();

    // Unknown fields.
    QTest::newRow("unknown field") << field("image", "\"ubuntu\"") << badRequest << 400 << QStringLiteral("image");
    QTest::newRow("field name case") << field("Template", "\"base\"") << badRequest << 400
                                     << QStringLiteral("Template");
    QTest::newRow("empty field name") << field("", "1") << badRequest << 400 << QString();
    QTest::newRow("unknown field set to null") << field("env", "null") << badRequest << 400 << QStringLiteral("env");
    QTest::newRow("unknown field beside valid ones")
        << QByteArray(R"({"template": "base", "timeout": 10, "privileged": true})") << badRequest << 400
        << QStringLiteral("privileged");

    // preview_auth
    QTest::newRow("preview_auth string") << field("preview_auth", "\"yes\"") << badRequest << 400
                                         << QStringLiteral("preview_auth");
    QTest::newRow("preview_auth number") << field("preview_auth", "1") << badRequest << 400
                                         << QStringLiteral("preview_auth");

    // template
    for (const char *v : {"1", "true", "[]", "{}", "[\"base\"]"})
        QTest::addRow("template %s", v) << field("template", v) << badRequest << 400 << QStringLiteral("template");
    const QList<QByteArray> badNames = {
        "\"\"", "\"Base\"", "\"-base\"", "\".base\"", "\"_base\"", "\"a/b\"", "\"../etc\"", "\"..\"",
        "\"a b\"", "\"base\\n\"", "\"base\\u0000\"", "\"b\\u00e4se\"", "\"base;rm\"",
        '"' + QByteArray(64, 'x') + '"', '"' + QByteArray(100000, 'x') + '"'};
    for (const QByteArray &v : badNames)
        QTest::addRow("template name %s", v.left(24).constData())
            << field("template", v) << badRequest << 400 << QStringLiteral("template");

    // timeout
    QTest::newRow("timeout 0") << field("timeout", "0") << badRequest << 400 << QStringLiteral("got 0.");
    QTest::newRow("timeout 86401") << field("timeout", "86401") << badRequest << 400 << QStringLiteral("got 86401.");
    QTest::newRow("timeout -5") << field("timeout", "-5") << badRequest << 400 << QStringLiteral("got -5.");
    QTest::newRow("timeout 1.5") << field("timeout", "1.5") << badRequest << 400 << QStringLiteral("timeout");
    QTest::newRow("timeout 0.5") << field("timeout", "0.5") << badRequest << 400 << QStringLiteral("timeout");
    QTest::newRow("timeout \"10\"") << field("timeout", "\"10\"") << badRequest << 400 << QStringLiteral("timeout");
    QTest::newRow("timeout true") << field("timeout", "true") << badRequest << 400 << QStringLiteral("timeout");
    QTest::newRow("timeout []") << field("timeout", "[10]") << badRequest << 400 << QStringLiteral("timeout");
    QTest::newRow("timeout {}") << field("timeout", "{}") << badRequest << 400 << QStringLiteral("timeout");
    // A value no integer type holds must still be reported as the client sent it.
    QTest::newRow("timeout 1e300") << field("timeout", "1e300") << badRequest << 400 << QStringLiteral("got 1e+300.");
    QTest::newRow("timeout -1e300") << field("timeout", "-1e300") << badRequest << 400
                                    << QStringLiteral("got -1e+300.");
    QTest::newRow("timeout 2^63") << field("timeout", "9223372036854775808") << badRequest << 400
                                  << QStringLiteral("timeout");

    // metadata
    for (const char *v : {"[]", "\"k=v\"", "1", "true", "[{\"k\":\"v\"}]"})
        QTest::addRow("metadata %s", v) << field("metadata", v) << badRequest << 400 << QStringLiteral("metadata");
    for (const char *v : {"1", "null", "true", "{}", "[]", "[\"v\"]"})
        QTest::addRow("metadata value %s", v) << field("metadata", QByteArray("{\"k\":") + v + "}") << badRequest
                                              << 400 << QStringLiteral("metadata.k");
    QTest::newRow("metadata empty key") << field("metadata", R"({"": "v"})") << badRequest << 400
                                        << QStringLiteral("empty key");
    QTest::newRow("metadata 2049 bytes") << field("metadata", metadataOfSize(2049)) << tooLarge << 413
                                         << QStringLiteral("2049");
    QTest::newRow("metadata 1 MB") << field("metadata", metadataOfSize(1 << 20)) << tooLarge << 413
                                   << QStringLiteral("metadata");
    {
        QByteArray many = "{";
        for (int i = 0; i < 500; ++i)
            many += (i ? ",\"k" : "\"k") + QByteArray::number(i) + "\":\"\"";
        many += "}";
        QTest::newRow("metadata 500 empty pairs") << field("metadata", many) << tooLarge << 413
                                                  << QStringLiteral("metadata");
    }

    // envs
    for (const char *v : {"[]", "\"A=B\"", "1", "[\"A=B\"]"})
        QTest::addRow("envs %s", v) << field("envs", v) << badRequest << 400 << QStringLiteral("envs");
    for (const char *name : {"1A", "A-B", "A B", "A=B", "A.B", "\\u00c4", "A\\n", "\\nA", "A\\u0000", "$A"})
        QTest::addRow("envs name %s", name) << field("envs", QByteArray("{\"") + name + "\":\"v\"}") << badRequest
                                            << 400 << QStringLiteral("envs");
    QTest::newRow("envs empty name") << field("envs", R"({"": "v"})") << badRequest << 400 << QStringLiteral("envs");
    QTest::newRow("envs NUL in value") << field("envs", R"({"A": "x\u0000y"})") << badRequest << 400
                                       << QStringLiteral("NUL");
    QTest::newRow("envs NUL alone") << field("envs", R"({"A": "\u0000"})") << badRequest << 400
                                    << QStringLiteral("NUL");
    QTest::newRow("envs number value") << field("envs", R"({"A": 1})") << badRequest << 400
                                       << QStringLiteral("envs.A");
    QTest::newRow("envs null value") << field("envs", R"({"A": null})") << badRequest << 400
                                     << QStringLiteral("envs.A");
    QTest::newRow("envs over 64 KiB")
        << field("envs", "{\"A\":\"" + QByteArray(Limits::kMaxEnvsBytes, 'x') + "\"}") << tooLarge << 413
        << QStringLiteral("envs");

    // cpu_count and memory_mb
    for (const char *v : {"0", "-1", "65", "1000000", "1e300", "-1e300"})
        QTest::addRow("cpu_count %s", v) << field("cpu_count", v) << badRequest << 400 << QStringLiteral("cpu_count");
    for (const char *v : {"1.5", "\"2\"", "true", "null", "[]", "{}"})
        QTest::addRow("cpu_count %s", v) << field("cpu_count", v) << badRequest << 400 << QStringLiteral("cpu_count");
    for (const char *v : {"0", "63", "65537", "-512", "2147483648", "1e300"})
        QTest::addRow("memory_mb %s", v) << field("memory_mb", v) << badRequest << 400 << QStringLiteral("memory_mb");
    for (const char *v : {"512.5", "\"512\"", "false", "null", "[512]"})
        QTest::addRow("memory_mb %s", v) << field("memory_mb", v) << badRequest << 400 << QStringLiteral("memory_mb");
}

void tst_createrequest::refuses()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    QFETCH(int, status);
    QFETCH(QString, mentions);

    const auto r = CreateSandboxRequest::parse(body);
    QVERIFY2(!r.ok(), "accepted");
    QCOMPARE(r.error().code, code);
    QCOMPARE(r.error().httpStatus, status);
    verifySentence(r.error().message);
    if (QTest::currentTestFailed())
        return;
    if (!mentions.isEmpty())
        QVERIFY2(r.error().message.contains(mentions),
                 qPrintable(QStringLiteral("'%1' does not mention '%2'").arg(r.error().message, mentions)));
    // An oversized input is not echoed back whole.
    QVERIFY2(r.error().message.size() < 1000, qPrintable(QString::number(r.error().message.size())));
}

void tst_createrequest::metadataLimitIsBytesOfCompactJson_data()
{
    QTest::addColumn<QByteArray>("metadata"); // written with spaces: the limit is on the compact form
    QTest::addColumn<int>("compactBytes");
    QTest::addColumn<bool>("ok");

    QTest::newRow("2048 bytes") << metadataOfSize(2048) << 2048 << true;
    QTest::newRow("2049 bytes") << metadataOfSize(2049) << 2049 << false;
    QTest::newRow("2048 bytes written loosely")
        << ("{ \"k\" :   \"" + QByteArray(2040, 'v') + "\" }") << 2048 << true;
    // 'é' is two bytes in UTF-8: the limit counts bytes, not characters.
    QTest::newRow("1020 two-byte characters")
        << ("{\"k\":\"" + QString(1020, QChar(0xe9)).toUtf8() + "\"}") << 2048 << true;
    QTest::newRow("1021 two-byte characters")
        << ("{\"k\":\"" + QString(1021, QChar(0xe9)).toUtf8() + "\"}") << 2050 << false;
}

void tst_createrequest::metadataLimitIsBytesOfCompactJson()
{
    QFETCH(QByteArray, metadata);
    QFETCH(int, compactBytes);
    QFETCH(bool, ok);

    // The table itself is right about sizes.
    QCOMPARE(QJsonDocument::fromJson(metadata).toJson(QJsonDocument::Compact).size(), compactBytes);

    const auto r = CreateSandboxRequest::parse(field("metadata", metadata));
    QCOMPARE(r.ok(), ok);
    if (ok) {
        QCOMPARE(r->metadata.size(), 1);
        QCOMPARE(r->metadata.value(QStringLiteral("k")).toUtf8().size(), compactBytes - 8);
    } else {
        QCOMPARE(r.error().code, QStringLiteral("too_large"));
        QCOMPARE(r.error().httpStatus, 413);
        verifySentence(r.error().message);
    }
}

void tst_createrequest::envsKeepValuesVerbatim()
{
    const auto r = CreateSandboxRequest::parse(
        R"json({"envs": {"A": "line1\nline2", "B": "x=y=z", "C": "  spaced  ", "D": "$(rm -rf /)",
                      "E": "\u00e9\ud83d\ude00"}})json");
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
    QCOMPARE(r->envs.value(QStringLiteral("A")), QStringLiteral("line1\nline2"));
    QCOMPARE(r->envs.value(QStringLiteral("B")), QStringLiteral("x=y=z"));
    QCOMPARE(r->envs.value(QStringLiteral("C")), QStringLiteral("  spaced  "));
    QCOMPARE(r->envs.value(QStringLiteral("D")), QStringLiteral("$(rm -rf /)"));
    QCOMPARE(r->envs.value(QStringLiteral("E")), QString::fromUtf8("\xc3\xa9\xf0\x9f\x98\x80"));
}

void tst_createrequest::jsonObject_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("emptyIsEmptyObject");
    QTest::addColumn<QString>("code"); // empty: accepted
    QTest::addColumn<int>("keys");

    QTest::newRow("empty, allowed") << QByteArray() << true << QString() << 0;
    QTest::newRow("blank, allowed") << QByteArray("\n  ") << true << QString() << 0;
    QTest::newRow("empty, required") << QByteArray() << false << QStringLiteral("invalid_json") << 0;
    QTest::newRow("blank, required") << QByteArray(" \t\n") << false << QStringLiteral("invalid_json") << 0;
    QTest::newRow("object") << QByteArray(R"({"a": 1, "b": [2]})") << false << QString() << 2;
    QTest::newRow("array") << QByteArray("[1]") << true << QStringLiteral("invalid_json") << 0;
    QTest::newRow("string") << QByteArray("\"{}\"") << true << QStringLiteral("invalid_json") << 0;
    QTest::newRow("number") << QByteArray("-0.5") << true << QStringLiteral("invalid_json") << 0;
    QTest::newRow("malformed") << QByteArray("{\"a\"") << true << QStringLiteral("invalid_json") << 0;
    QTest::newRow("NUL inside") << QByteArray("{}\0{}", 5) << true << QStringLiteral("invalid_json") << 0;
}

void tst_createrequest::jsonObject()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, emptyIsEmptyObject);
    QFETCH(QString, code);
    QFETCH(int, keys);

    const auto r = Validate::jsonObject(body, emptyIsEmptyObject);
    QCOMPARE(r.ok(), code.isEmpty());
    if (r.ok()) {
        QCOMPARE(r->size(), keys);
    } else {
        QCOMPARE(r.error().code, code);
        QCOMPARE(r.error().httpStatus, 400);
        verifySentence(r.error().message);
    }
}

void tst_createrequest::timeoutSeconds_data()
{
    QTest::addColumn<QByteArray>("value"); // JSON text; empty: absent
    QTest::addColumn<qint64>("expected");  // -1: refused with bad_request

    QTest::newRow("absent") << QByteArray() << qint64(-1);
    QTest::newRow("null") << QByteArray("null") << qint64(-1);
    QTest::newRow("0") << QByteArray("0") << qint64(-1);
    QTest::newRow("-0") << QByteArray("-0") << qint64(-1);
    QTest::newRow("1") << QByteArray("1") << qint64(1);
    QTest::newRow("86400") << QByteArray("86400") << qint64(86400);
    QTest::newRow("86401") << QByteArray("86401") << qint64(-1);
    QTest::newRow("1.5") << QByteArray("1.5") << qint64(-1);
    QTest::newRow("86400.000001") << QByteArray("86400.000001") << qint64(-1);
    QTest::newRow("1e3") << QByteArray("1e3") << qint64(1000);
    QTest::newRow("\"10\"") << QByteArray("\"10\"") << qint64(-1);
    QTest::newRow("-5") << QByteArray("-5") << qint64(-1);
    QTest::newRow("1e300") << QByteArray("1e300") << qint64(-1);
    QTest::newRow("1e-300") << QByteArray("1e-300") << qint64(-1);
    QTest::newRow("true") << QByteArray("true") << qint64(-1);
    QTest::newRow("object") << QByteArray("{\"seconds\": 5}") << qint64(-1);
}

void tst_createrequest::timeoutSeconds()
{
    QFETCH(QByteArray, value);
    QFETCH(qint64, expected);

    const auto r = Validate::timeoutSeconds(jsonValue(value), QStringLiteral("ttl"));
    if (expected >= 0) {
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QCOMPARE(*r, expected);
    } else {
        QVERIFY2(!r.ok(), "accepted");
        QCOMPARE(r.error().code, QStringLiteral("bad_request"));
        QCOMPARE(r.error().httpStatus, 400);
        verifySentence(r.error().message);
        // The caller's field name, not a hard-coded one.
        QVERIFY2(r.error().message.contains(QStringLiteral("'ttl'")), qPrintable(r.error().message));
    }
}

void tst_createrequest::stringMap_data()
{
    QTest::addColumn<QByteArray>("value"); // JSON text; empty: absent
    QTest::addColumn<int>("maxBytes");
    QTest::addColumn<QString>("code"); // empty: accepted
    QTest::addColumn<int>("entries");

    QTest::newRow("absent") << QByteArray() << 100 << QString() << 0;
    QTest::newRow("null") << QByteArray("null") << 100 << QString() << 0;
    QTest::newRow("empty") << QByteArray("{}") << 100 << QString() << 0;
    QTest::newRow("two pairs") << QByteArray(R"({"a": "1", "b": ""})") << 100 << QString() << 2;
    QTest::newRow("exactly the limit") << QByteArray(R"({"a":"1"})") << 9 << QString() << 1;
    QTest::newRow("one byte over") << QByteArray(R"({"a":"12"})") << 9 << QStringLiteral("too_large") << 0;
    QTest::newRow("limit zero") << QByteArray("{}") << 0 << QStringLiteral("too_large") << 0;
    QTest::newRow("array") << QByteArray(R"(["a"])") << 100 << QStringLiteral("bad_request") << 0;
    QTest::newRow("string") << QByteArray("\"a\"") << 100 << QStringLiteral("bad_request") << 0;
    QTest::newRow("number value") << QByteArray(R"({"a": 1})") << 100 << QStringLiteral("bad_request") << 0;
    QTest::newRow("bool value") << QByteArray(R"({"a": false})") << 100 << QStringLiteral("bad_request") << 0;
    QTest::newRow("nested value") << QByteArray(R"({"a": {"b": "c"}})") << 100 << QStringLiteral("bad_request") << 0;
    QTest::newRow("empty key") << QByteArray(R"({"": "x"})") << 100 << QStringLiteral("bad_request") << 0;
}

void tst_createrequest::stringMap()
{
    QFETCH(QByteArray, value);
    QFETCH(int, maxBytes);
    QFETCH(QString, code);
    QFETCH(int, entries);

    const auto r = Validate::stringMap(jsonValue(value), QStringLiteral("labels"), maxBytes);
    QCOMPARE(r.ok(), code.isEmpty());
    if (r.ok()) {
        QCOMPARE(r->size(), entries);
    } else {
        QCOMPARE(r.error().code, code);
        QCOMPARE(r.error().httpStatus, code == QLatin1String("too_large") ? 413 : 400);
        verifySentence(r.error().message);
        QVERIFY2(r.error().message.contains(QStringLiteral("labels")), qPrintable(r.error().message));
    }
}

void tst_createrequest::onlyKnownFields_data()
{
    QTest::addColumn<QByteArray>("object");
    QTest::addColumn<QStringList>("known");
    QTest::addColumn<QString>("unknown"); // empty: accepted

    const QStringList ab = {QStringLiteral("a"), QStringLiteral("b")};
    QTest::newRow("empty object") << QByteArray("{}") << ab << QString();
    QTest::newRow("empty object, nothing known") << QByteArray("{}") << QStringList() << QString();
    QTest::newRow("all known") << QByteArray(R"({"a": 1, "b": null})") << ab << QString();
    QTest::newRow("one unknown") << QByteArray(R"({"a": 1, "c": 2})") << ab << QStringLiteral("c");
    QTest::newRow("nothing known") << QByteArray(R"({"a": 1})") << QStringList() << QStringLiteral("a");
    QTest::newRow("case differs") << QByteArray(R"({"A": 1})") << ab << QStringLiteral("A");
    QTest::newRow("prefix of a known name") << QByteArray(R"({"ab": 1})") << ab << QStringLiteral("ab");
    QTest::newRow("empty name") << QByteArray(R"({"": 1})") << ab << QStringLiteral("''");
    QTest::newRow("name with spaces") << QByteArray(R"({" a": 1})") << ab << QStringLiteral(" a");
}

void tst_createrequest::onlyKnownFields()
{
    QFETCH(QByteArray, object);
    QFETCH(QStringList, known);
    QFETCH(QString, unknown);

    const QJsonObject o = QJsonDocument::fromJson(object).object();
    const Status s = Validate::onlyKnownFields(o, known);
    QCOMPARE(s.ok(), unknown.isEmpty());
    if (!s.ok()) {
        QCOMPARE(s.error().code, QStringLiteral("bad_request"));
        QCOMPARE(s.error().httpStatus, 400);
        verifySentence(s.error().message);
        QVERIFY2(s.error().message.contains(unknown), qPrintable(s.error().message));
    }
}

QTEST_GUILESS_MAIN(tst_createrequest)
#include "tst_createrequest.moc"
