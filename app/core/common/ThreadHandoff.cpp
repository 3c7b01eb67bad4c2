#include "common/ThreadHandoff.h"

#if defined(__SANITIZE_THREAD__)
#define DBOPS_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define DBOPS_TSAN 1
#endif
#endif

#ifdef DBOPS_TSAN
#include <QObject>
#include <mutex>
#include <sanitizer/tsan_interface.h>

// In clang 14's TSan runtime, not in its header: stop and resume recording
// this thread's memory accesses.
extern "C" void __tsan_ignore_thread_begin();
extern "C" void __tsan_ignore_thread_end();

// Qt's signal-spy hook (qobject_p.h, exported from libQt6Core; QtTest's -vs
// uses it): called at the start and end of every signal emission and around
// every direct call of a member-function slot.  Declared here because the
// header is private.
struct QSignalSpyCallbackSet
{
    using BeginCallback = void (*)(QObject* caller, int signalOrMethodIndex, void** argv);
    using EndCallback = void (*)(QObject* caller, int signalOrMethodIndex);
    BeginCallback signal_begin_callback;
    BeginCallback slot_begin_callback;
    EndCallback signal_end_callback;
    EndCallback slot_end_callback;
};
void Q_CORE_EXPORT qt_register_signal_spy_callbacks(QSignalSpyCallbackSet* callback_set);
#endif

namespace dbops::ThreadHandoff {

#ifdef DBOPS_TSAN
namespace {

char g_handoff; // the sync object: its address is all that matters

// Release what this thread did so far, then stop recording while Qt copies
// the arguments (or the functor) into the event it queues.
void handOff()
{
    __tsan_release(&g_handoff);
    __tsan_ignore_thread_begin();
}

void handedOff()
{
    __tsan_ignore_thread_end();
}

void signalBegin(QObject*, int, void**)
{
    handOff();
}

void signalEnd(QObject*, int)
{
    handedOff();
}

// A slot called directly inside the emission is our code again: recorded.
// (Lambda slots are not announced by Qt; their direct calls stay unrecorded.)
void slotBegin(QObject*, int, void**)
{
    __tsan_ignore_thread_end();
}

void slotEnd(QObject*, int)
{
    __tsan_ignore_thread_begin();
}

bool eventDelivered(void**)
{
    __tsan_acquire(&g_handoff);
    return false; // never consumes the event
}

} // namespace

void install()
{
    static std::once_flag once;
    std::call_once(once, [] {
        static QSignalSpyCallbackSet callbacks { signalBegin, slotBegin, signalEnd, slotEnd };
        qt_register_signal_spy_callbacks(&callbacks);
        QInternal::registerCallback(QInternal::EventNotifyCallback, eventDelivered);
    });
}

Scope::Scope()
{
    handOff();
}

Scope::~Scope()
{
    handedOff();
}
#else
void install() { }
Scope::Scope() = default;
Scope::~Scope() = default;
#endif

} // namespace dbops::ThreadHandoff
