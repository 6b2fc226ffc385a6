// SPDX-License-Identifier: GPL-3.0-or-later
// No visible text of the app bypasses tr(). Under a pseudo-translation made
// from a fresh lupdate of the app's sources (every string between ⟦ and ⟧,
// tests/desktop/pseudo_translate.py), every text on screen — the main
// window, each tab of its workbench, its dialogs — must carry the markers,
// unless it holds no letter at all ("—", "0 B", "+").
#include "EngineSet.h"
#include "MainWindow.h"
#include "NewSandboxDialog.h"
#include "SettingsDialog.h"
#include "ShortcutsDialog.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTabBar>
#include <QTabWidget>
#include <QTest>
#include <QTextDocumentFragment>
#include <QTextEdit>
#include <QTranslator>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>

namespace {

const QChar kOpen(0x27e6);

// Names the test gave (connection names): the user's data, not the app's words.
const QStringList kUserData{QStringLiteral("Local"), QStringLiteral("Lab")};

bool translated(const QString &text)
{
    const QString t = text.trimmed();
    if (t.contains(kOpen) || kUserData.contains(t))
        return true;
    return std::none_of(t.cbegin(), t.cend(), [](QChar c) { return c.isLetter(); });
}

// Where a widget is, for the failure message.
QString where(const QWidget *w)
{
    QStringList path;
    for (const QObject *o = w; o; o = o->parent()) {
        if (!o->objectName().isEmpty())
            path.prepend(o->objectName());
    }
    return QStringLiteral("%1 (%2)").arg(path.join(QLatin1Char('/')), QString::fromLatin1(w->metaObject()->className()));
}

} // namespace

class tst_translations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void mainWindowAndTabs();
    void newSandboxDialog();
    void settingsDialog();
    void shortcutsDialog();

private:
    // Every visible text under `root` that lacks the markers.
    static QStringList untranslated(QWidget *root);

    QTranslator m_pseudo;
};

void tst_translations::initTestCase()
{
    QVERIFY2(m_pseudo.load(QStringLiteral(AI2IN_PSEUDO_QM)), AI2IN_PSEUDO_QM);
    QVERIFY(QApplication::installTranslator(&m_pseudo));
    // The translation is in use: a string of the app comes back marked.
    QVERIFY(QCoreApplication::translate("MainWindow", "Settings…").startsWith(kOpen));
}

QStringList tst_translations::untranslated(QWidget *root)
{
    QStringList found;
    auto check = [&](const QWidget *w, const QString &what, const QString &text) {
        if (!translated(text))
            found << QStringLiteral("%1 %2: \"%3\"").arg(where(w), what, text);
    };
    QList<QWidget *> all = root->findChildren<QWidget *>();
    all.prepend(root);
    for (QWidget *w : all) {
        if (!w->isVisible())
            continue;
        if (w->isWindow())
            check(w, QStringLiteral("title"), w->windowTitle());
        if (auto *label = qobject_cast<QLabel *>(w)) {
            const QString text = Qt::mightBeRichText(label->text())
                                     ? QTextDocumentFragment::fromHtml(label->text()).toPlainText()
                                     : label->text();
            check(w, QStringLiteral("text"), text);
        } else if (auto *button = qobject_cast<QAbstractButton *>(w)) {
            // OK, Cancel …: Qt's own strings, from its own translations
            // (main.cpp loads them too).
            auto *box = qobject_cast<QDialogButtonBox *>(w->parentWidget());
            if (!box || box->standardButton(button) == QDialogButtonBox::NoButton)
                check(w, QStringLiteral("text"), button->text());
        } else if (auto *group = qobject_cast<QGroupBox *>(w)) {
            check(w, QStringLiteral("title"), group->title());
        } else if (auto *tabs = qobject_cast<QTabBar *>(w)) {
            for (int i = 0; i < tabs->count(); ++i)
                check(w, QStringLiteral("tab"), tabs->tabText(i));
        } else if (auto *line = qobject_cast<QLineEdit *>(w)) {
            check(w, QStringLiteral("placeholder"), line->placeholderText());
        } else if (auto *plain = qobject_cast<QPlainTextEdit *>(w)) {
            check(w, QStringLiteral("placeholder"), plain->placeholderText());
        } else if (auto *rich = qobject_cast<QTextEdit *>(w)) {
            check(w, QStringLiteral("placeholder"), rich->placeholderText());
        } else if (auto *combo = qobject_cast<QComboBox *>(w)) {
            if (!combo->isEditable()) {
                for (int i = 0; i < combo->count(); ++i)
                    check(w, QStringLiteral("item"), combo->itemText(i));
            }
        } else if (auto *view = qobject_cast<QAbstractItemView *>(w)) {
            QHeaderView *header = w->findChild<QHeaderView *>();
            if (view->model() && header && header->isVisible() && header->orientation() == Qt::Horizontal) {
                for (int c = 0; c < view->model()->columnCount(); ++c) {
                    if (!header->isSectionHidden(c))
                        check(w, QStringLiteral("column"), view->model()->headerData(c, Qt::Horizontal).toString());
                }
            }
        }
    }
    return found;
}

void tst_translations::mainWindowAndTabs()
{
    EngineSet engines;
    MainWindow window(&engines);
    // Engines that are not there: the window's own sentences about that
    // are on screen too, for one engine and for several.
    engines.watch(QStringLiteral("Local"), QUrl(QStringLiteral("http://127.0.0.1:9")), QStringLiteral("no-key"));
    engines.watch(QStringLiteral("Lab"), QUrl(QStringLiteral("http://127.0.0.1:19")), QStringLiteral("no-key"));
    window.setProfiles({QStringLiteral("Local"), QStringLiteral("Lab")}, {QStringLiteral("Local"), QStringLiteral("Lab")});
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTest::qWait(1500);
    // The check itself finds a text that skipped tr().
    auto *probe = new QLabel(QStringLiteral("Not through tr"), &window);
    probe->setObjectName(QStringLiteral("probe"));
    probe->show();
    QStringList found = untranslated(&window);
    QVERIFY2(found.removeAll(QStringLiteral("mainWindow/probe (QLabel) text: \"Not through tr\"")) == 1,
             qPrintable(found.join(QLatin1Char('\n'))));
    delete probe;
    QTabWidget *tabs = window.detailsTabs();
    for (int i = 0; i < tabs->count(); ++i) {
        tabs->setCurrentIndex(i);
        QTest::qWait(50);
        found += untranslated(tabs->currentWidget());
    }
    found.removeDuplicates();
    QVERIFY2(found.isEmpty(), qPrintable(QStringLiteral("\n") + found.join(QLatin1Char('\n'))));
}

void tst_translations::newSandboxDialog()
{
    NewSandboxDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const QStringList found = untranslated(&dialog);
    QVERIFY2(found.isEmpty(), qPrintable(QStringLiteral("\n") + found.join(QLatin1Char('\n'))));
}

void tst_translations::settingsDialog()
{
    SettingsDialog dialog{DesktopSettings()};
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const QStringList found = untranslated(&dialog);
    QVERIFY2(found.isEmpty(), qPrintable(QStringLiteral("\n") + found.join(QLatin1Char('\n'))));
}

void tst_translations::shortcutsDialog()
{
    ShortcutsDialog dialog{QList<QAction *>()};
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QStringList found = untranslated(&dialog);
    // Its rows too: the names of the panes' keys (the key names are Qt's).
    for (QTreeWidgetItemIterator it(dialog.tree()); *it; ++it) {
        if (!translated((*it)->text(0)))
            found << (*it)->text(0);
    }
    QVERIFY2(found.isEmpty(), qPrintable(QStringLiteral("\n") + found.join(QLatin1Char('\n'))));
}

QTEST_MAIN(tst_translations)
#include "tst_translations.moc"
