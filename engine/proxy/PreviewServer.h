// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "PreviewLinks.h"

#include <QTcpServer>

class SandboxManager;

// The preview listener: every accepted client becomes a PreviewConnection
// that routes it by its Host header to a port inside a sandbox.
class PreviewServer : public QTcpServer
{
    Q_OBJECT
public:
    PreviewServer(SandboxManager *sandboxes, PreviewLinks links, QObject *parent = nullptr);

private:
    void acceptAll();

    SandboxManager *m_sandboxes;
    PreviewLinks m_links;
};
