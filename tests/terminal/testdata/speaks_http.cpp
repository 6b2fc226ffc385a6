// SPDX-License-Identifier: GPL-3.0-or-later
// A widget source the ui/ HTTP check must reject (see tests/terminal/CMakeLists.txt).
#include <QWidget>
#include <QNetworkAccessManager>
#include <QtWebSockets/QWebSocket>
