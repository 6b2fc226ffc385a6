// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class EngineClient;
class QLabel;
class QPlainTextEdit;

// Shows a sandbox file read-only: text as it is, at most the first 1 MiB
// (and says so when there is more); a binary file as a hex dump of its
// start, saying that it is binary.
class FileViewerDialog : public QDialog
{
    Q_OBJECT
public:
    FileViewerDialog(EngineClient *client, const QString &sandbox, const QString &path, QWidget *parent = nullptr);

    bool isLoaded() const { return m_loaded; }
    bool isBinary() const { return m_binary; }
    bool isTruncated() const { return m_truncated; }
    QString text() const;
    // The line above the text: truncated, binary, or what went wrong.
    QString note() const;

Q_SIGNALS:
    void loaded();

private:
    void showBytes(const QByteArray &bytes);

    QLabel *m_note;
    QPlainTextEdit *m_text;
    bool m_loaded = false;
    bool m_binary = false;
    bool m_truncated = false;
};
