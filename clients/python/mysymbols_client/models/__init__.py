"""Contains all the data models used in inputs/outputs"""

from .add_symbol import AddSymbol
from .against_universe import AgainstUniverse
from .alert_check_read import AlertCheckRead
from .alert_read import AlertRead
from .alert_read_details import AlertReadDetails
from .algorithm_change_record import AlgorithmChangeRecord
from .algorithm_change_record_after import AlgorithmChangeRecordAfter
from .algorithm_change_record_before import AlgorithmChangeRecordBefore
from .algorithm_change_record_evidence_type_0 import AlgorithmChangeRecordEvidenceType0
from .algorithm_read import AlgorithmRead
from .algorithm_read_parameters import AlgorithmReadParameters
from .algorithm_read_parameters_schema import AlgorithmReadParametersSchema
from .algorithm_update import AlgorithmUpdate
from .algorithm_update_name import AlgorithmUpdateName
from .algorithm_update_parameters_type_0 import AlgorithmUpdateParametersType0
from .algorithms_change_read import AlgorithmsChangeRead
from .algorithms_in_force_read import AlgorithmsInForceRead
from .algorithms_update import AlgorithmsUpdate
from .api_key_create import ApiKeyCreate
from .api_key_created import ApiKeyCreated
from .api_key_read import ApiKeyRead
from .as_run_record import AsRunRecord
from .as_run_record_equity import AsRunRecordEquity
from .as_run_record_windows import AsRunRecordWindows
from .bootstrap_check import BootstrapCheck
from .bootstrap_check_problem_type_0 import BootstrapCheckProblemType0
from .bootstrap_check_step import BootstrapCheckStep
from .challenger_verdict import ChallengerVerdict
from .challengers_read import ChallengersRead
from .change_read import ChangeRead
from .component_score_read import ComponentScoreRead
from .component_score_read_breakdown import ComponentScoreReadBreakdown
from .config_change_record import ConfigChangeRecord
from .config_change_result import ConfigChangeResult
from .config_read import ConfigRead
from .config_update import ConfigUpdate
from .config_update_values import ConfigUpdateValues
from .config_update_values_excluded_categories_item import ConfigUpdateValuesExcludedCategoriesItem
from .config_update_values_weighting_method import ConfigUpdateValuesWeightingMethod
from .confirmation_read import ConfirmationRead
from .correlated_pair import CorrelatedPair
from .correlation_read import CorrelationRead
from .correlation_read_beta_to_btc import CorrelationReadBetaToBtc
from .database_check import DatabaseCheck
from .database_check_backend import DatabaseCheckBackend
from .database_check_migrations_type_0 import DatabaseCheckMigrationsType0
from .evidence_read import EvidenceRead
from .evidence_read_calibration import EvidenceReadCalibration
from .evidence_read_data import EvidenceReadData
from .evidence_read_ic import EvidenceReadIc
from .evidence_read_out_of_sample import EvidenceReadOutOfSample
from .evidence_read_selection_type_0 import EvidenceReadSelectionType0
from .forward_book import ForwardBook
from .forward_record_read import ForwardRecordRead
from .forward_record_read_books import ForwardRecordReadBooks
from .forward_record_read_equity import ForwardRecordReadEquity
from .forward_rule import ForwardRule
from .get_rankings_component import GetRankingsComponent
from .get_weights_method import GetWeightsMethod
from .health import Health
from .history_read import HistoryRead
from .history_read_details import HistoryReadDetails
from .job_check import JobCheck
from .job_check_result import JobCheckResult
from .job_read import JobRead
from .job_run_read import JobRunRead
from .job_run_read_problem_type_0 import JobRunReadProblemType0
from .job_run_read_result_type_0 import JobRunReadResultType0
from .job_run_read_status import JobRunReadStatus
from .kucoin_budget_check import KucoinBudgetCheck
from .kucoin_budget_check_last_scoring_run_type_0 import KucoinBudgetCheckLastScoringRunType0
from .kucoin_budget_check_mode import KucoinBudgetCheckMode
from .list_alerts_kind import ListAlertsKind
from .list_alerts_status import ListAlertsStatus
from .list_processed_signals_status import ListProcessedSignalsStatus
from .live_evidence_read import LiveEvidenceRead
from .live_figures import LiveFigures
from .live_window import LiveWindow
from .live_window_books import LiveWindowBooks
from .market_data_check import MarketDataCheck
from .market_data_check_breaker_state import MarketDataCheckBreakerState
from .market_data_check_kind import MarketDataCheckKind
from .market_data_read import MarketDataRead
from .market_data_read_sources_item import MarketDataReadSourcesItem
from .member_read import MemberRead
from .metrics_read import MetricsRead
from .order_line_read import OrderLineRead
from .pairlist import Pairlist
from .pairlist_ranks import PairlistRanks
from .pairlist_weights import PairlistWeights
from .performance_create import PerformanceCreate
from .performance_read import PerformanceRead
from .portfolio_read import PortfolioRead
from .position_size_read import PositionSizeRead
from .preset_read import PresetRead
from .preset_read_weights import PresetReadWeights
from .problem import Problem
from .problem_errors_type_0_item import ProblemErrorsType0Item
from .ranking_item import RankingItem
from .ranking_item_category import RankingItemCategory
from .ranking_item_category_source import RankingItemCategorySource
from .ranking_item_components import RankingItemComponents
from .rankings_read import RankingsRead
from .rebalance_read import RebalanceRead
from .rebalance_request import RebalanceRequest
from .rebalance_request_positions_type_0 import RebalanceRequestPositionsType0
from .recommendation_read import RecommendationRead
from .remove_symbol import RemoveSymbol
from .replace_symbol import ReplaceSymbol
from .replacement_candidates_read import ReplacementCandidatesRead
from .replacement_outcomes import ReplacementOutcomes
from .replay_create import ReplayCreate
from .replay_create_overrides_type_0 import ReplayCreateOverridesType0
from .replay_read import ReplayRead
from .replay_read_config_type_0 import ReplayReadConfigType0
from .replay_read_kind import ReplayReadKind
from .replay_read_params import ReplayReadParams
from .replay_read_report_type_0 import ReplayReadReportType0
from .replay_read_status import ReplayReadStatus
from .replay_summary import ReplaySummary
from .replay_summary_kind import ReplaySummaryKind
from .replay_summary_params import ReplaySummaryParams
from .replay_summary_status import ReplaySummaryStatus
from .risk_report_read import RiskReportRead
from .role import Role
from .scoring_run_detail import ScoringRunDetail
from .scoring_run_detail_config import ScoringRunDetailConfig
from .scoring_run_detail_exclusions import ScoringRunDetailExclusions
from .scoring_run_detail_spend_type_0 import ScoringRunDetailSpendType0
from .scoring_run_read import ScoringRunRead
from .scoring_run_read_exclusions import ScoringRunReadExclusions
from .scoring_run_read_spend_type_0 import ScoringRunReadSpendType0
from .segment import Segment
from .session_figures_read import SessionFiguresRead
from .session_figures_read_night_template_type_0 import SessionFiguresReadNightTemplateType0
from .session_figures_read_rule_category import SessionFiguresReadRuleCategory
from .setting_change_read import SettingChangeRead
from .setting_read import SettingRead
from .setting_read_type import SettingReadType
from .signal_create import SignalCreate
from .signal_create_direction import SignalCreateDirection
from .signal_create_payload import SignalCreatePayload
from .signal_read import SignalRead
from .signal_read_consensus import SignalReadConsensus
from .signal_read_payload import SignalReadPayload
from .signal_read_votes_item import SignalReadVotesItem
from .signal_statistics import SignalStatistics
from .signal_statistics_agents import SignalStatisticsAgents
from .signal_statistics_agents_additional_property import SignalStatisticsAgentsAdditionalProperty
from .signal_statistics_by_source import SignalStatisticsBySource
from .signal_statistics_by_status import SignalStatisticsByStatus
from .signal_statistics_by_type import SignalStatisticsByType
from .signal_summary import SignalSummary
from .signal_summary_consensus import SignalSummaryConsensus
from .signal_summary_votes_item import SignalSummaryVotesItem
from .skill_ic import SkillIc
from .statistics_read import StatisticsRead
from .statistics_read_composite_summary import StatisticsReadCompositeSummary
from .statistics_read_sectors import StatisticsReadSectors
from .statistics_read_weights import StatisticsReadWeights
from .status import Status
from .status_status import StatusStatus
from .strategy_figures import StrategyFigures
from .symbol_category_update import SymbolCategoryUpdate
from .symbol_category_update_category_type_0 import SymbolCategoryUpdateCategoryType0
from .symbol_page import SymbolPage
from .symbol_read import SymbolRead
from .symbol_read_category import SymbolReadCategory
from .symbol_read_category_override_type_0 import SymbolReadCategoryOverrideType0
from .symbol_read_category_source import SymbolReadCategorySource
from .symbol_scores_entry import SymbolScoresEntry
from .symbol_scores_read import SymbolScoresRead
from .symbol_scores_read_category import SymbolScoresReadCategory
from .symbol_scores_read_category_source import SymbolScoresReadCategorySource
from .sync_result_read import SyncResultRead
from .timeline_read import TimelineRead
from .timeline_read_source import TimelineReadSource
from .timeline_row import TimelineRow
from .verdict import Verdict
from .weight_change_read import WeightChangeRead
from .weights_read import WeightsRead
from .weights_read_inputs import WeightsReadInputs
from .weights_read_weights import WeightsReadWeights
from .what_if import WhatIf
from .what_if_baselines import WhatIfBaselines
from .what_if_config_hash import WhatIfConfigHash
from .what_if_data import WhatIfData
from .what_if_ic import WhatIfIc

__all__ = (
    "AddSymbol",
    "AgainstUniverse",
    "AlertCheckRead",
    "AlertRead",
    "AlertReadDetails",
    "AlgorithmChangeRecord",
    "AlgorithmChangeRecordAfter",
    "AlgorithmChangeRecordBefore",
    "AlgorithmChangeRecordEvidenceType0",
    "AlgorithmRead",
    "AlgorithmReadParameters",
    "AlgorithmReadParametersSchema",
    "AlgorithmsChangeRead",
    "AlgorithmsInForceRead",
    "AlgorithmsUpdate",
    "AlgorithmUpdate",
    "AlgorithmUpdateName",
    "AlgorithmUpdateParametersType0",
    "ApiKeyCreate",
    "ApiKeyCreated",
    "ApiKeyRead",
    "AsRunRecord",
    "AsRunRecordEquity",
    "AsRunRecordWindows",
    "BootstrapCheck",
    "BootstrapCheckProblemType0",
    "BootstrapCheckStep",
    "ChallengersRead",
    "ChallengerVerdict",
    "ChangeRead",
    "ComponentScoreRead",
    "ComponentScoreReadBreakdown",
    "ConfigChangeRecord",
    "ConfigChangeResult",
    "ConfigRead",
    "ConfigUpdate",
    "ConfigUpdateValues",
    "ConfigUpdateValuesExcludedCategoriesItem",
    "ConfigUpdateValuesWeightingMethod",
    "ConfirmationRead",
    "CorrelatedPair",
    "CorrelationRead",
    "CorrelationReadBetaToBtc",
    "DatabaseCheck",
    "DatabaseCheckBackend",
    "DatabaseCheckMigrationsType0",
    "EvidenceRead",
    "EvidenceReadCalibration",
    "EvidenceReadData",
    "EvidenceReadIc",
    "EvidenceReadOutOfSample",
    "EvidenceReadSelectionType0",
    "ForwardBook",
    "ForwardRecordRead",
    "ForwardRecordReadBooks",
    "ForwardRecordReadEquity",
    "ForwardRule",
    "GetRankingsComponent",
    "GetWeightsMethod",
    "Health",
    "HistoryRead",
    "HistoryReadDetails",
    "JobCheck",
    "JobCheckResult",
    "JobRead",
    "JobRunRead",
    "JobRunReadProblemType0",
    "JobRunReadResultType0",
    "JobRunReadStatus",
    "KucoinBudgetCheck",
    "KucoinBudgetCheckLastScoringRunType0",
    "KucoinBudgetCheckMode",
    "ListAlertsKind",
    "ListAlertsStatus",
    "ListProcessedSignalsStatus",
    "LiveEvidenceRead",
    "LiveFigures",
    "LiveWindow",
    "LiveWindowBooks",
    "MarketDataCheck",
    "MarketDataCheckBreakerState",
    "MarketDataCheckKind",
    "MarketDataRead",
    "MarketDataReadSourcesItem",
    "MemberRead",
    "MetricsRead",
    "OrderLineRead",
    "Pairlist",
    "PairlistRanks",
    "PairlistWeights",
    "PerformanceCreate",
    "PerformanceRead",
    "PortfolioRead",
    "PositionSizeRead",
    "PresetRead",
    "PresetReadWeights",
    "Problem",
    "ProblemErrorsType0Item",
    "RankingItem",
    "RankingItemCategory",
    "RankingItemCategorySource",
    "RankingItemComponents",
    "RankingsRead",
    "RebalanceRead",
    "RebalanceRequest",
    "RebalanceRequestPositionsType0",
    "RecommendationRead",
    "RemoveSymbol",
    "ReplacementCandidatesRead",
    "ReplacementOutcomes",
    "ReplaceSymbol",
    "ReplayCreate",
    "ReplayCreateOverridesType0",
    "ReplayRead",
    "ReplayReadConfigType0",
    "ReplayReadKind",
    "ReplayReadParams",
    "ReplayReadReportType0",
    "ReplayReadStatus",
    "ReplaySummary",
    "ReplaySummaryKind",
    "ReplaySummaryParams",
    "ReplaySummaryStatus",
    "RiskReportRead",
    "Role",
    "ScoringRunDetail",
    "ScoringRunDetailConfig",
    "ScoringRunDetailExclusions",
    "ScoringRunDetailSpendType0",
    "ScoringRunRead",
    "ScoringRunReadExclusions",
    "ScoringRunReadSpendType0",
    "Segment",
    "SessionFiguresRead",
    "SessionFiguresReadNightTemplateType0",
    "SessionFiguresReadRuleCategory",
    "SettingChangeRead",
    "SettingRead",
    "SettingReadType",
    "SignalCreate",
    "SignalCreateDirection",
    "SignalCreatePayload",
    "SignalRead",
    "SignalReadConsensus",
    "SignalReadPayload",
    "SignalReadVotesItem",
    "SignalStatistics",
    "SignalStatisticsAgents",
    "SignalStatisticsAgentsAdditionalProperty",
    "SignalStatisticsBySource",
    "SignalStatisticsByStatus",
    "SignalStatisticsByType",
    "SignalSummary",
    "SignalSummaryConsensus",
    "SignalSummaryVotesItem",
    "SkillIc",
    "StatisticsRead",
    "StatisticsReadCompositeSummary",
    "StatisticsReadSectors",
    "StatisticsReadWeights",
    "Status",
    "StatusStatus",
    "StrategyFigures",
    "SymbolCategoryUpdate",
    "SymbolCategoryUpdateCategoryType0",
    "SymbolPage",
    "SymbolRead",
    "SymbolReadCategory",
    "SymbolReadCategoryOverrideType0",
    "SymbolReadCategorySource",
    "SymbolScoresEntry",
    "SymbolScoresRead",
    "SymbolScoresReadCategory",
    "SymbolScoresReadCategorySource",
    "SyncResultRead",
    "TimelineRead",
    "TimelineReadSource",
    "TimelineRow",
    "Verdict",
    "WeightChangeRead",
    "WeightsRead",
    "WeightsReadInputs",
    "WeightsReadWeights",
    "WhatIf",
    "WhatIfBaselines",
    "WhatIfConfigHash",
    "WhatIfData",
    "WhatIfIc",
)
