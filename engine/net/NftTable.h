// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QString>

struct nft_ctx;

// Runs nftables commands through libnftables: a whole batch is one netlink
// transaction, applied entirely or not at all, with no `nft` process.
class NftTable
{
public:
    // `dryRun`: commands are checked by nftables and the kernel's cache,
    // never applied (`nft -c`).
    explicit NftTable(bool dryRun = false);
    ~NftTable();
    NftTable(const NftTable &) = delete;
    NftTable &operator=(const NftTable &) = delete;

    // `what` names the change for the error sentence.
    Status run(const QString &commands, const QString &what);
    // A listing command's output (e.g. "list table inet ai2in").
    Result<QString> list(const QString &command);

private:
    nft_ctx *m_ctx = nullptr;
};
