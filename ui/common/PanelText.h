#pragma once

class QFont;
class QLabel;
class QWidget;

namespace dbops::ui {

/// The text styles the tabs share, so that their headlines and empty states
/// look alike on every palette.
namespace PanelText {

/// A tab's headline: bold, a quarter larger than `base` (points or pixels,
/// whichever the font was given in).
QFont headlineFont(const QFont& base);

/// The label a tab shows instead of its content ("Connect to a database ..."):
/// centred, wrapped, in the palette's placeholder colour.
QLabel* placeholderLabel(QWidget* parent = nullptr);

} // namespace PanelText

} // namespace dbops::ui
