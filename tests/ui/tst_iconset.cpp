// The project's own icons (resources/icons): every one renders, in the
// palette's text colour, so a dark palette gets light glyphs; actions follow
// a palette change while the window is open.
#include "IconSet.h"
#include "ThemedIcons.h"

#include <QAction>
#include <QImage>
#include <QtTest>

using namespace dbops::ui;

namespace {

/// The mean lightness (0-255) of the opaque pixels of an icon at 32 px.
int inkLightness(const QIcon& icon, QIcon::Mode mode = QIcon::Normal)
{
    const QImage image = icon.pixmap(32, 32, mode).toImage().convertToFormat(QImage::Format_ARGB32);
    qint64 sum = 0;
    int count = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (c.alpha() < 200)
                continue;
            sum += c.lightness();
            ++count;
        }
    }
    return count == 0 ? -1 : static_cast<int>(sum / count);
}

QPalette paletteWithText(const QColor& text, const QColor& window)
{
    QPalette palette;
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Window, window);
    palette.setColor(QPalette::Disabled, QPalette::WindowText, QColor(128, 128, 128));
    return palette;
}

} // namespace

class TestIconSet : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyIconRendersInThePaletteColour_data()
    {
        QTest::addColumn<QString>("name");
        const QStringList names = IconSet::names();
        QVERIFY(names.size() >= 17);
        for (const QString& name : names)
            QTest::newRow(qPrintable(name)) << name;
    }

    void everyIconRendersInThePaletteColour()
    {
        QFETCH(QString, name);
        const QIcon light = IconSet::icon(name, paletteWithText(Qt::black, Qt::white));
        const QIcon dark = IconSet::icon(name, paletteWithText(Qt::white, QColor(30, 30, 30)));
        QVERIFY(!light.isNull());
        QVERIFY(!dark.isNull());
        const int onLight = inkLightness(light);
        const int onDark = inkLightness(dark);
        QVERIFY2(onLight >= 0 && onDark >= 0, "the icon draws nothing");
        // The glyph follows the text colour: dark ink on a light palette,
        // light ink on a dark one (accents such as production's red keep
        // their colour, so compare rather than demand black and white).
        QVERIFY2(onDark > onLight + 60, qPrintable(QStringLiteral("%1 vs %2").arg(onDark).arg(onLight)));
        // Disabled is drawn in the disabled text colour.
        QVERIFY(inkLightness(dark, QIcon::Disabled) < onDark);
    }

    void unknownNameGivesNoIcon()
    {
        QVERIFY(IconSet::icon(QStringLiteral("no-such-icon"), QPalette()).isNull());
    }

    void actionsFollowAPaletteChange()
    {
        QWidget owner;
        owner.setPalette(paletteWithText(Qt::black, Qt::white));
        auto* icons = new ThemedIcons(&owner);
        QAction action(&owner);
        icons->set(&action, QStringLiteral("upgrade"));
        const int before = inkLightness(action.icon());
        owner.setPalette(paletteWithText(Qt::white, QColor(30, 30, 30)));
        const int after = inkLightness(action.icon());
        QVERIFY2(after > before + 60, qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after)));
    }
};

QTEST_MAIN(TestIconSet)
#include "tst_iconset.moc"
