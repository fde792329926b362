#include "Scenario.h"

namespace Bench {
void runMixedScenario(ScenarioContext &context)
{
    context.report.addError(QStringLiteral("mixed"), QStringLiteral("not written yet"));
}
} // namespace Bench
