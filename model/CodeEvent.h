// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonValue>
#include <QString>

#include <optional>

// What a cell displayed (execute_result or display_data), one field per MIME
// type the kernel offered. Images and PDFs are decoded from base64 already;
// the text forms are as the kernel wrote them.
struct CodeResult
{
    enum class Form { Text, Html, Markdown, Svg, Png, Jpeg, Pdf, Latex, Json, Javascript, Nothing };

    QString text;
    QString html;
    QString markdown;
    QString svg;
    QByteArray png;
    QByteArray jpeg;
    QByteArray pdf;
    QString latex;
    QJsonValue json; // null when absent
    QString javascript;
    bool isMainResult = false;

    // The form a console shows: an image before markup before text, the
    // way a person would rather see it. Nothing when the result is empty.
    Form preferredForm() const;
    bool operator==(const CodeResult &o) const = default;
};

struct CodeError
{
    QString name;
    QString value;
    QString traceback;
    bool operator==(const CodeError &o) const = default;
};

// One line of a `POST …/code` answer (docs/api.md, "Code (run_code)").
struct CodeEvent
{
    enum class Type { Stdout, Stderr, Result, Error, End };

    Type type = Type::Stdout;
    QString text;                      // Stdout, Stderr
    CodeResult result;                 // Result
    CodeError error;                   // Error
    std::optional<int> executionCount; // End (null when the kernel gave none)

    bool operator==(const CodeEvent &o) const = default;

    // The name of the error event a line that cannot be read becomes.
    static QString badLineName() { return QStringLiteral("BadEvent"); }

    // Pure: one NDJSON line. Blank lines and events of a type this client
    // does not know (a newer engine) give nothing; a line that is not a
    // JSON object, or an event missing what its type needs, gives an error
    // event whose value says so.
    static std::optional<CodeEvent> fromLine(QByteArrayView line);
};
