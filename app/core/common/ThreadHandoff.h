#pragma once

namespace dbops::ThreadHandoff {

/// What ThreadSanitizer cannot see by itself: Debian's Qt is not built with
/// TSan, and a queued signal or call crosses threads through Qt's event queue,
/// whose lock is a futex inside libQt6Core.  Without help, every value a
/// worker hands to its controller (and back) would be reported as a race.
///
/// In a TSan build (-fsanitize=thread), install() makes the handoff Qt
/// already guarantees visible, through Qt's signal-spy hook and its
/// EventNotifyCallback: a signal emission releases what its thread did
/// before it, an event delivered acquires it, and the copies Qt makes of the
/// arguments while it queues them are not recorded (they are Qt's, read by
/// the receiver only through Qt).  A queued QMetaObject::invokeMethod emits
/// no signal: a Scope around it does the same.  So a value written before a
/// signal is ordered before the slot that receives it, as Qt orders it;
/// accesses from two threads that no signal or event orders (a member both
/// touch directly; the canary in tests/sanitizers) are still reported.
/// Elsewhere all of this is nothing.
///
/// Call install() where a controller starts its thread (idempotent).
void install();

/// Around a queued QMetaObject::invokeMethod or QCoreApplication::postEvent.
class Scope
{
public:
    Scope();
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
};

} // namespace dbops::ThreadHandoff
