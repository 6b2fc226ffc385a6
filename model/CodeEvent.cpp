// SPDX-License-Identifier: GPL-3.0-or-later
#include "CodeEvent.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace {

constexpr qsizetype kQuotedLine = 80;

CodeEvent badLine(const QString &why)
{
    CodeEvent e;
    e.type = CodeEvent::Type::Error;
    e.error.name = CodeEvent::badLineName();
    e.error.value = why;
    return e;
}

QString quoted(QByteArrayView line)
{
    QString s = QString::fromUtf8(line.first(qMin(line.size(), kQuotedLine)));
    if (line.size() > kQuotedLine)
        s += QChar(0x2026);
    return s;
}

// A text field: a string, or null/absent for "none". Anything else is
// reported through `ok`.
QString textField(const QJsonObject &o, const QString &key, bool &ok)
{
    const QJsonValue v = o.value(key);
    if (v.isString())
        return v.toString();
    if (!v.isNull() && !v.isUndefined())
        ok = false;
    return QString();
}

QByteArray binaryField(const QJsonObject &o, const QString &key, bool &ok)
{
    const QString text = textField(o, key, ok);
    if (text.isEmpty())
        return QByteArray();
    // Kernels wrap base64 at 76 columns sometimes.
    auto decoded = QByteArray::fromBase64Encoding(text.toLatin1().simplified().replace(' ', QByteArray()),
                                                  QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        ok = false;
    return decoded.decoded;
}

} // namespace

CodeResult::Form CodeResult::preferredForm() const
{
    if (!png.isEmpty())
        return Form::Png;
    if (!jpeg.isEmpty())
        return Form::Jpeg;
    if (!svg.isEmpty())
        return Form::Svg;
    if (!html.isEmpty())
        return Form::Html;
    if (!markdown.isEmpty())
        return Form::Markdown;
    if (!latex.isEmpty())
        return Form::Latex;
    if (!json.isUndefined() && !json.isNull())
        return Form::Json;
    if (!text.isEmpty())
        return Form::Text;
    if (!pdf.isEmpty())
        return Form::Pdf;
    if (!javascript.isEmpty())
        return Form::Javascript;
    return Form::Nothing;
}

std::optional<CodeEvent> CodeEvent::fromLine(QByteArrayView line)
{
    const QByteArrayView trimmed = line.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(trimmed.toByteArray(), &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return badLine(QStringLiteral("The engine sent a line that is not a JSON object: “%1”.").arg(quoted(trimmed)));
    const QJsonObject o = doc.object();
    const QString type = o.value(QStringLiteral("type")).toString();
    CodeEvent e;
    bool ok = true;
    if (type == QLatin1String("stdout") || type == QLatin1String("stderr")) {
        e.type = type == QLatin1String("stdout") ? Type::Stdout : Type::Stderr;
        if (!o.value(QStringLiteral("text")).isString())
            return badLine(QStringLiteral("The engine sent a %1 event without its text.").arg(type));
        e.text = o.value(QStringLiteral("text")).toString();
        return e;
    }
    if (type == QLatin1String("result")) {
        e.type = Type::Result;
        const QJsonValue rv = o.value(QStringLiteral("result"));
        if (!rv.isObject())
            return badLine(QStringLiteral("The engine sent a result event without its result."));
        const QJsonObject r = rv.toObject();
        CodeResult &res = e.result;
        res.text = textField(r, QStringLiteral("text"), ok);
        res.html = textField(r, QStringLiteral("html"), ok);
        res.markdown = textField(r, QStringLiteral("markdown"), ok);
        res.svg = textField(r, QStringLiteral("svg"), ok);
        res.latex = textField(r, QStringLiteral("latex"), ok);
        res.javascript = textField(r, QStringLiteral("javascript"), ok);
        res.png = binaryField(r, QStringLiteral("png"), ok);
        res.jpeg = binaryField(r, QStringLiteral("jpeg"), ok);
        res.pdf = binaryField(r, QStringLiteral("pdf"), ok);
        res.json = r.value(QStringLiteral("json"));
        if (res.json.isUndefined())
            res.json = QJsonValue();
        res.isMainResult = r.value(QStringLiteral("is_main_result")).toBool();
        if (!ok)
            return badLine(QStringLiteral("The engine sent a result whose fields are not text or base64."));
        return e;
    }
    if (type == QLatin1String("error")) {
        e.type = Type::Error;
        const QJsonValue ev = o.value(QStringLiteral("error"));
        if (!ev.isObject())
            return badLine(QStringLiteral("The engine sent an error event without its error."));
        const QJsonObject x = ev.toObject();
        e.error.name = textField(x, QStringLiteral("name"), ok);
        e.error.value = textField(x, QStringLiteral("value"), ok);
        e.error.traceback = textField(x, QStringLiteral("traceback"), ok);
        if (!ok)
            return badLine(QStringLiteral("The engine sent an error whose fields are not text."));
        if (e.error.name.isEmpty())
            e.error.name = QStringLiteral("Error");
        return e;
    }
    if (type == QLatin1String("end")) {
        e.type = Type::End;
        const QJsonValue count = o.value(QStringLiteral("execution_count"));
        if (count.isDouble())
            e.executionCount = count.toInt();
        return e;
    }
    if (type.isEmpty())
        return badLine(QStringLiteral("The engine sent an event without a type: “%1”.").arg(quoted(trimmed)));
    return std::nullopt;
}
