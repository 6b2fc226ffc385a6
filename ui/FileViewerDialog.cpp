// SPDX-License-Identifier: GPL-3.0-or-later
#include "FileViewerDialog.h"

#include "FileNames.h"
#include "FilesClient.h"
#include "FilePreview.h"
#include "Formatting.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace {
constexpr int kTransferMs = 30000;
constexpr qsizetype kHexBytes = 64 * 1024;
} // namespace

FileViewerDialog::FileViewerDialog(EngineClient *client, const QString &sandbox, const QString &path, QWidget *parent)
    : QDialog(parent)
    , m_note(new QLabel(tr("Loading…"), this))
    , m_text(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("fileViewer"));
    setWindowTitle(FileNames::baseName(path));
    setAttribute(Qt::WA_DeleteOnClose);
    resize(800, 600);
    m_note->setObjectName(QStringLiteral("viewerNote"));
    m_note->setWordWrap(true);
    m_text->setObjectName(QStringLiteral("viewerText"));
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_note);
    layout->addWidget(m_text, 1);
    layout->addWidget(buttons);

    FilesClient(client).readHead(sandbox, path, FilePreview::kMaxBytes, kTransferMs, this,
                                 [this](Result<FilesClient::Head> r) {
                                     if (!r) {
                                         m_note->setText(tr("The file cannot be shown: %1").arg(r.error().message));
                                         m_loaded = true;
                                         Q_EMIT loaded();
                                         return;
                                     }
                                     m_truncated = r->truncated;
                                     showBytes(r->bytes);
                                 });
}

void FileViewerDialog::showBytes(const QByteArray &bytes)
{
    m_binary = FilePreview::isBinary(bytes.left(64 * 1024));
    if (m_binary) {
        m_note->setText(tr("This is a binary file; its first %1 are shown in hex.")
                            .arg(Formatting::bytes(qMin(bytes.size(), kHexBytes))));
        m_text->setPlainText(FilePreview::hexDump(bytes, kHexBytes));
    } else {
        m_note->setText(m_truncated ? tr("The file is larger than %1; only its start is shown (truncated).")
                                          .arg(Formatting::bytes(FilePreview::kMaxBytes))
                                    : tr("%1, read-only.").arg(Formatting::bytes(bytes.size())));
        m_text->setPlainText(QString::fromUtf8(bytes));
    }
    m_loaded = true;
    Q_EMIT loaded();
}

QString FileViewerDialog::text() const
{
    return m_text->toPlainText();
}

QString FileViewerDialog::note() const
{
    return m_note->text();
}
