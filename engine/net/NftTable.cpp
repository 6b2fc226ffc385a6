// SPDX-License-Identifier: GPL-3.0-or-later
#include "NftTable.h"

#include <nftables/libnftables.h>

NftTable::NftTable(bool dryRun)
    : m_ctx(nft_ctx_new(NFT_CTX_DEFAULT))
{
    if (m_ctx) {
        nft_ctx_buffer_output(m_ctx);
        nft_ctx_buffer_error(m_ctx);
        nft_ctx_set_dry_run(m_ctx, dryRun);
    }
}

NftTable::~NftTable()
{
    if (m_ctx)
        nft_ctx_free(m_ctx);
}

Status NftTable::run(const QString &commands, const QString &what)
{
    if (!m_ctx)
        return ApiError::internal(QStringLiteral("Cannot %1: libnftables could not start.").arg(what));
    if (commands.isEmpty())
        return Done{};
    const QByteArray text = commands.toUtf8();
    if (nft_run_cmd_from_buffer(m_ctx, text.constData()) != 0) {
        const QString err = QString::fromUtf8(nft_ctx_get_error_buffer(m_ctx)).trimmed();
        return ApiError::internal(QStringLiteral("Cannot %1: nftables refused it: %2").arg(what, err.left(600)));
    }
    return Done{};
}

Result<QString> NftTable::list(const QString &command)
{
    if (!m_ctx)
        return ApiError::internal(QStringLiteral("libnftables could not start."));
    const QByteArray text = command.toUtf8();
    if (nft_run_cmd_from_buffer(m_ctx, text.constData()) != 0)
        return ApiError::internal(
            QStringLiteral("nftables: %1").arg(QString::fromUtf8(nft_ctx_get_error_buffer(m_ctx)).trimmed()));
    return QString::fromUtf8(nft_ctx_get_output_buffer(m_ctx));
}
