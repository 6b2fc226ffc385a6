// SPDX-License-Identifier: GPL-3.0-or-later
#include <QTest>
class tst_files_pane : public QObject { Q_OBJECT };
QTEST_MAIN(tst_files_pane)
#include "tst_files_pane.moc"
