// SPDX-License-Identifier: GPL-3.0-or-later
// The app's own icons (ui/Icons, ui/ThemedIconEngine) and the keyboard
// shortcuts page (ui/ShortcutsDialog), on the window itself, offscreen and
// without an engine: every action wears one of the app's icons; an icon
// asked for at 2× is drawn with twice the pixels rather than enlarged; its
// strokes are light under the dark theme and dark under the light one, and
// change with the theme; the page lists every shortcut the window has.
#include "CommandPalette.h"
#include "EngineSet.h"
#include "Icons.h"
#include "MainWindow.h"
#include "ShortcutsDialog.h"
#include "Theme.h"
#include "ThemedIconEngine.h"

#include <QAction>
#include <QApplication>
#include <QLineEdit>
#include <QPainter>
#include <QPalette>
#include <QSet>
#include <QTest>
#include <QToolBar>
#include <QTreeWidget>
#include <QWidgetAction>

#include <memory>

namespace {

QImage argb(const QPixmap &pm)
{
    return pm.toImage().convertToFormat(QImage::Format_ARGB32);
}

// The mean colour of a drawing's fully opaque pixels (its strokes' inside,
// without the anti-aliased rims); invalid when there are none.
QColor strokeColour(const QImage &image)
{
    qint64 r = 0, g = 0, b = 0, n = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QRgb px = image.pixel(x, y);
            if (qAlpha(px) != 255)
                continue;
            r += qRed(px);
            g += qGreen(px);
            b += qBlue(px);
            ++n;
        }
    }
    return n == 0 ? QColor() : QColor(int(r / n), int(g / n), int(b / n));
}

bool near(const QColor &a, const QColor &b)
{
    return qAbs(a.red() - b.red()) <= 2 && qAbs(a.green() - b.green()) <= 2 && qAbs(a.blue() - b.blue()) <= 2;
}

} // namespace

class tst_icons : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void everyActionWearsAnAppIcon();
    void drawnAtTheDevicePixelRatio();
    void strokesFollowTheTheme_data();
    void strokesFollowTheTheme();
    void disabledIconsTakeTheDisabledColour();
    void trayMarkKeepsItsColours();
    void shortcutsPageListsEveryShortcut();
    void shortcutsPageSearches();

private:
    // The window's actions, as the toolbar shows them (no separators, no
    // embedded widgets such as the connection box).
    QList<QAction *> toolbarActions() const;

    std::unique_ptr<EngineSet> m_engines;
    std::unique_ptr<MainWindow> m_window;
};

void tst_icons::initTestCase()
{
    m_engines = std::make_unique<EngineSet>();
    m_window = std::make_unique<MainWindow>(m_engines.get());
    m_window->resize(1280, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void tst_icons::cleanupTestCase()
{
    m_window.reset();
    m_engines.reset();
}

QList<QAction *> tst_icons::toolbarActions() const
{
    auto *bar = m_window->findChild<QToolBar *>(QStringLiteral("mainToolBar"));
    QList<QAction *> out;
    for (QAction *a : bar ? bar->actions() : QList<QAction *>()) {
        if (!a->isSeparator() && !qobject_cast<QWidgetAction *>(a))
            out.append(a);
    }
    return out;
}

void tst_icons::everyActionWearsAnAppIcon()
{
    QSet<qint64> ours;
    for (Icons::Name n : Icons::all()) {
        const QIcon icon = Icons::get(n);
        QVERIFY2(!icon.isNull(), qPrintable(QString::number(int(n))));
        ours.insert(icon.cacheKey());
    }
    const QList<QAction *> onToolbar = toolbarActions();
    QVERIFY2(onToolbar.size() >= 9, qPrintable(QString::number(onToolbar.size())));
    // The toolbar's and every other action of the window (Export report,
    // Command palette, Keyboard shortcuts are in menus and the palette).
    for (QAction *a : onToolbar + m_window->QWidget::actions()) {
        QVERIFY2(!a->icon().isNull(), qPrintable(a->objectName()));
        QVERIFY2(ours.contains(a->icon().cacheKey()), qPrintable(a->objectName() + QStringLiteral(": not an app icon")));
    }
}

void tst_icons::drawnAtTheDevicePixelRatio()
{
    for (Icons::Name n : Icons::all()) {
        const QString what = QString::number(int(n));
        const QIcon icon = Icons::get(n);
        const QPixmap hidpi = icon.pixmap(QSize(24, 24), 2.0);
        QCOMPARE(hidpi.size(), QSize(48, 48));
        QCOMPARE(hidpi.devicePixelRatio(), 2.0);
        QCOMPARE(hidpi.deviceIndependentSize(), QSizeF(24, 24));
        // The same pixels as the drawing made at 48×48 outright …
        QVERIFY2(argb(hidpi) == argb(icon.pixmap(QSize(48, 48), 1.0)), qPrintable(what));
        // … and not the 24×24 one enlarged (which the comparison above
        // would tell apart).
        const QImage enlarged = argb(icon.pixmap(QSize(24, 24), 1.0)).scaled(48, 48, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        QVERIFY2(argb(hidpi) != enlarged, qPrintable(what));
        // Drawn through a painter on a 2× device, as a tool button does.
        QPixmap device(48, 48);
        device.setDevicePixelRatio(2.0);
        device.fill(Qt::transparent);
        {
            QPainter p(&device);
            icon.paint(&p, QRect(0, 0, 24, 24));
        }
        QVERIFY2(argb(device) == argb(hidpi), qPrintable(what));
    }
}

void tst_icons::strokesFollowTheTheme_data()
{
    QTest::addColumn<QString>("theme");
    QTest::addColumn<bool>("light");
    QTest::newRow("dark") << QStringLiteral("dark") << true;
    QTest::newRow("light") << QStringLiteral("light") << false;
    // Back and forth: the same icons change with the theme.
    QTest::newRow("dark again") << QStringLiteral("dark") << true;
}

void tst_icons::strokesFollowTheTheme()
{
    QFETCH(QString, theme);
    QFETCH(bool, light);
    Theme::apply(theme);
    const QColor text = QApplication::palette().color(QPalette::Active, QPalette::ButtonText);
    QVERIFY2(light ? text.lightness() > 180 : text.lightness() < 80, qPrintable(text.name()));
    for (QAction *a : toolbarActions()) {
        const QColor stroke = strokeColour(argb(a->icon().pixmap(QSize(24, 24), 2.0, QIcon::Normal)));
        QVERIFY2(stroke.isValid(), qPrintable(a->objectName() + QStringLiteral(": nothing drawn")));
        QVERIFY2(near(stroke, text), qPrintable(QStringLiteral("%1: %2, not %3").arg(a->objectName(), stroke.name(), text.name())));
    }
    // What the toolbar shows: a button's picture of its icon.
    QToolBar *bar = m_window->findChild<QToolBar *>(QStringLiteral("mainToolBar"));
    QWidget *button = bar->widgetForAction(m_window->findChild<QAction *>(QStringLiteral("actionRefresh")));
    QVERIFY(button);
    const QImage shot = button->grab().toImage();
    int strokes = 0;
    for (int y = 0; y < shot.height(); ++y) {
        for (int x = 0; x < shot.height(); ++x) // the icon's square, left of the text
            strokes += near(shot.pixelColor(x, y), text) ? 1 : 0;
    }
    QVERIFY2(strokes > 10, qPrintable(QString::number(strokes)));
}

void tst_icons::disabledIconsTakeTheDisabledColour()
{
    for (const QString &theme : {QStringLiteral("light"), QStringLiteral("dark")}) {
        Theme::apply(theme);
        const QPalette palette = QApplication::palette();
        const QColor disabled = palette.color(QPalette::Disabled, QPalette::ButtonText);
        QCOMPARE(ThemedIconEngine::colorFor(QIcon::Disabled, palette), disabled);
        const QIcon icon = Icons::get(Icons::Name::Kill);
        const QColor stroke = strokeColour(argb(icon.pixmap(QSize(24, 24), 1.0, QIcon::Disabled)));
        QVERIFY2(near(stroke, disabled), qPrintable(theme + QLatin1Char(' ') + stroke.name()));
        QVERIFY(!near(stroke, palette.color(QPalette::Active, QPalette::ButtonText)));
    }
}

void tst_icons::trayMarkKeepsItsColours()
{
    // A panel's colour is not the app's: the tray's mark stays white on blue.
    for (const QString &theme : {QStringLiteral("light"), QStringLiteral("dark")}) {
        Theme::apply(theme);
        const QImage mark = argb(Icons::get(Icons::Name::Tray).pixmap(QSize(22, 22), 2.0));
        QCOMPARE(mark.size(), QSize(44, 44));
        QCOMPARE(mark.pixelColor(6, 22), QColor(0x2b, 0x6c, 0xb0));
        int white = 0;
        for (int y = 0; y < mark.height(); ++y) {
            for (int x = 0; x < mark.width(); ++x)
                white += mark.pixelColor(x, y) == QColor(Qt::white) ? 1 : 0;
        }
        QVERIFY2(white > 40, qPrintable(QString::number(white)));
    }
}

void tst_icons::shortcutsPageListsEveryShortcut()
{
    QAction *open = m_window->findChild<QAction *>(QStringLiteral("actionShortcuts"));
    QVERIFY(open);
    QVERIFY(QKeySequence::keyBindings(QKeySequence::HelpContents).contains(open->shortcut()));
    // In the command palette too.
    CommandPalette *palette = m_window->openCommandPalette();
    QVERIFY2(palette->shownNames().contains(CommandPalette::plainName(open)), qPrintable(palette->shownNames().join(", ")));
    palette->close();

    open->trigger();
    auto *page = m_window->findChild<ShortcutsDialog *>(QStringLiteral("shortcutsDialog"));
    QVERIFY(page);
    QVERIFY(page->isVisible());
    QVERIFY(!page->isModal());
    QVERIFY(!page->searchField()->accessibleName().isEmpty());
    QVERIFY(!page->tree()->accessibleName().isEmpty());
    // Asked again: the same page comes up, not a second.
    open->trigger();
    QCOMPARE(m_window->findChildren<ShortcutsDialog *>().size(), 1);

    QHash<QString, QString> listed;
    QTreeWidget *tree = page->tree();
    for (int s = 0; s < tree->topLevelItemCount(); ++s) {
        for (int r = 0; r < tree->topLevelItem(s)->childCount(); ++r) {
            const QTreeWidgetItem *row = tree->topLevelItem(s)->child(r);
            if (!listed.contains(row->text(0)))
                listed.insert(row->text(0), row->text(1));
        }
    }
    int withKeys = 0;
    for (QAction *a : m_window->QWidget::actions()) {
        if (a->shortcut().isEmpty())
            continue;
        ++withKeys;
        const QString name = CommandPalette::plainName(a);
        QVERIFY2(listed.contains(name), qPrintable(name));
        QCOMPARE(listed.value(name), a->shortcut().toString(QKeySequence::NativeText));
    }
    QVERIFY(withKeys >= 10);
    QCOMPARE(listed.value(CommandPalette::plainName(open)), QKeySequence(QKeySequence::HelpContents).toString(QKeySequence::NativeText));
    // The keys of the panes, e.g. running a cell of the code editor.
    QCOMPARE(listed.value(QStringLiteral("Run the cell")), QKeySequence(Qt::CTRL | Qt::Key_Enter).toString(QKeySequence::NativeText));
    page->close();
}

void tst_icons::shortcutsPageSearches()
{
    auto *page = ShortcutsDialog::openFor(m_window.get());
    QTreeWidget *tree = page->tree();
    auto shownRows = [tree] {
        QStringList out;
        for (int s = 0; s < tree->topLevelItemCount(); ++s) {
            const QTreeWidgetItem *section = tree->topLevelItem(s);
            for (int r = 0; r < section->childCount(); ++r) {
                if (!section->isHidden() && !section->child(r)->isHidden())
                    out << section->child(r)->text(0);
            }
        }
        return out;
    };
    const int all = int(shownRows().size());
    // By a key …
    page->searchField()->setText(QKeySequence(Qt::CTRL | Qt::Key_K).toString(QKeySequence::NativeText));
    QCOMPARE(shownRows(), QStringList{QStringLiteral("Command palette")});
    // … by words of a name, in any order …
    page->searchField()->setText(QStringLiteral("cell run"));
    QCOMPARE(shownRows(), QStringList{QStringLiteral("Run the cell")});
    // … by a section's name: all of its rows.
    page->searchField()->setText(QStringLiteral("timeline"));
    QCOMPARE(shownRows().size(), 5);
    page->searchField()->setText(QStringLiteral("nothing like this"));
    QVERIFY(shownRows().isEmpty());
    page->searchField()->clear();
    QCOMPARE(shownRows().size(), all);
    page->close();
}

QTEST_MAIN(tst_icons)
#include "tst_icons.moc"
