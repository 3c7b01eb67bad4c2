#pragma once

#include "lint/LintFinding.h"

#include <QColor>
#include <QIcon>

class QPainter;
class QRectF;

namespace dbops::ui {

/// How a lint severity looks in the SQL preview, in the gutter and the
/// Findings list alike: an error is a red disc, a warning an amber triangle
/// (a shape as well as a colour, for those who do not tell red from amber),
/// each lighter on a dark palette.
namespace SeverityStyle {

QColor color(LintSeverity severity, bool dark);
/// Paints the shape into `rect` with an exclamation mark in `markColor`.
void paint(QPainter& painter, const QRectF& rect, LintSeverity severity, bool dark, const QColor& markColor);
QIcon icon(LintSeverity severity, bool dark, const QColor& markColor);

} // namespace SeverityStyle

} // namespace dbops::ui
