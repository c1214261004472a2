// Shapes of the clawtriage API (see /api/openapi.json).

export type Category =
  | "SAME_CHANGE"
  | "SAME_FEATURE"
  | "COMPETING_IMPLEMENTATION"
  | "RELATED";

export interface Repo {
  repoId: number;
  owner: string;
  name: string;
  defaultBranch: string;
  isActive: boolean;
  htmlUrl: string | null;
  openPrs: number;
  analysedPrs: number;
  failedPrs: number;
}

export interface Scores {
  minhash?: number | null;
  jaccard?: number | null;
  exports?: number | null;
  symbols?: number | null;
  files?: number | null;
  imports?: number | null;
  tests?: number | null;
  docs?: number | null;
  prod?: number | null;
  issueRefs?: number | null;
  winnow?: number | null;
  [signal: string]: number | null | undefined;
}

export interface MatchedLine {
  path: string;
  sign: string;
  text: string;
}

export interface Evidence {
  comparedChannel?: string | null;
  sameDiffHash?: boolean;
  productionPaths?: string[];
  exports?: string[];
  symbols?: string[];
  imports?: string[];
  testSuites?: string[];
  testNames?: string[];
  testMatchers?: string[];
  testImports?: string[];
  docHeadings?: string[];
  docFences?: string[];
  docRefs?: string[];
  issueRefs?: string[];
  linesA?: MatchedLine[];
  linesB?: MatchedLine[];
  notes?: string[];
  [key: string]: unknown;
}

export interface SetMember {
  prNumber: number;
  title: string;
  authorLogin: string | null;
  state: string;
  url: string | null;
  createdAt: string | null;
  isBase: boolean;
}

export interface SetEdge {
  a: number;
  b: number;
  category: Category;
  finalScore: number;
  scores: Scores;
  evidence: Evidence;
}

export interface DuplicateSet {
  setId: number;
  state: "OPEN" | "CLOSED";
  categories: Category[];
  maxScore: number;
  memberCount: number;
  suggestedBase: { prNumber: number; reason: string | null } | null;
  members: SetMember[];
  edges: SetEdge[];
  createdAt: string;
  updatedAt: string;
}

export interface DuplicateSetPage {
  sets: DuplicateSet[];
  nextCursor: string | null;
}

export interface PrDetail {
  repoId: number;
  prNumber: number;
  state: string;
  isDraft: boolean;
  title: string;
  body: string | null;
  authorLogin: string | null;
  url: string | null;
  headSha: string;
  createdAt: string | null;
  updatedAt: string | null;
  analysis: { status: string; error: string | null; analysedHeadSha: string | null };
  size: { changedFiles: number | null; additions: number | null; deletions: number | null };
  channels: { productionFiles: number; testFiles: number; docFiles: number; metaFiles: number };
  duplicateSetId: number | null;
  alreadyLanded: { prNumber: number; category: string; score: number } | null;
  /** Older servers leave these out. */
  issueLinks?: IssueLink[];
  scope?: ScopeVerdict | null;
}

export interface Candidate {
  rank: number;
  candidatePrNumber: number;
  candidateHeadSha: string;
  candidateState: string;
  candidateTitle: string;
  category: Category;
  finalScore: number;
  scores: Scores;
  evidence: Evidence;
  evidenceSide: "a" | "b";
}

export interface CandidateList {
  prNumber: number;
  headSha: string;
  candidates: Candidate[];
}

export interface QueueItem {
  repoId: number;
  prNumber: number;
  headSha: string;
  title: string;
  authorLogin: string | null;
  state: string;
  updatedAt: string | null;
  analysisStatus: string;
  topSuggestion: { candidatePrNumber: number; category: string | null; score: number | null } | null;
  needsReview: boolean;
}

export interface QueuePage {
  items: QueueItem[];
  nextCursor: string | null;
}

export interface ScanStatus {
  jobId: string;
  owner: string;
  repo: string;
  snapshot: string;
  repoId: number | null;
  status: "queued" | "running" | "done" | "partial" | "failed";
  progress: number;
  counts: { listed: number; enqueued: number; skippedUnchanged: number; analysed: number; failed: number };
  github: {
    requests: number;
    notModified: number;
    rateLimitRemaining: number | null;
    rateLimitResetAt: string | null;
  };
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface FeedbackView {
  id: string;
  prNumber: number;
  headSha: string;
  candidatePrNumber: number | null;
  decision: string;
  basePrNumber: number | null;
  notes: string | null;
  createdAt: string;
}

export type Decision = "DUPLICATE" | "NOT_RELATED" | "BASE";

export interface FeedbackRequest {
  prNumber: number;
  headSha?: string;
  candidatePrNumber?: number;
  candidateHeadSha?: string;
  decision: Decision;
  basePrNumber?: number;
  notes?: string;
}

// Issues (issue 10): the issue list, one issue, PR ↔ issue links and the scope assist.

export type IssueCategory = "DUPLICATE" | "RELATED";
export type LinkKind = "EXPLICIT" | "BRANCH" | "MENTIONED" | "SUGGESTED";
export type Verdict = "IN_SCOPE" | "OUT_OF_SCOPE" | "UNCERTAIN";

export interface IssueItem {
  issueNumber: number;
  title: string;
  state: string;
  stateReason: string | null;
  labels: string[];
  authorLogin: string | null;
  createdAt: string | null;
  htmlUrl: string | null;
  analysisStatus: string;
  duplicateCount: number;
  duplicates: number[];
  relatedCount: number;
  linkedPrCount: number;
}

export interface IssuePage {
  items: IssueItem[];
  nextCursor: string | null;
}

/** The engine's TermKind. */
export type TermKind = "ERROR" | "MESSAGE" | "FRAME" | "IDENTIFIER" | "PATH" | "LABEL" | "WORD";

export interface SharedTerm {
  kind: TermKind | string;
  text: string;
  weight: number;
}

export interface StackFrame {
  function: string;
  file: string;
}

/** The engine's IssueEvidence (a pair of issues). */
export interface IssueEvidence {
  sharedTerms?: SharedTerm[];
  sharedErrors?: string[];
  sharedFrames?: StackFrame[];
  titleSimilarity?: number;
  notes?: string[];
  [key: string]: unknown;
}

/** The engine's IssueScores. */
export interface IssueScores {
  terms?: number | null;
  title?: number | null;
  frames?: number | null;
  specificShare?: number;
  sharedFacts?: number;
  [key: string]: number | null | undefined;
}

export interface IssueRelation {
  issueNumber: number;
  title: string;
  state: string;
  category: IssueCategory | string;
  score: number;
  scores: IssueScores;
  evidence: IssueEvidence;
}

/** The engine's LinkEvidence. */
export interface LinkEvidence {
  references?: string[];
  similarity?: number;
  sharedIdentifiers?: string[];
  issuePathsTouched?: string[];
  sharedErrors?: string[];
  sharedTerms?: SharedTerm[];
  [key: string]: unknown;
}

export interface IssueLink {
  prNumber: number;
  prTitle: string;
  prState: string;
  issueNumber: number;
  issueTitle: string;
  issueState: string;
  kind: LinkKind | string;
  score: number;
  evidence: LinkEvidence;
}

export interface IssueDetail {
  repoId: number;
  issueNumber: number;
  state: string;
  stateReason: string | null;
  title: string;
  body: string | null;
  authorLogin: string | null;
  labels: string[];
  htmlUrl: string | null;
  comments: number;
  createdAt: string | null;
  updatedAt: string | null;
  closedAt: string | null;
  analysisStatus: string;
  duplicates: IssueRelation[];
  related: IssueRelation[];
  linkedPrs: IssueLink[];
}

/** The engine's ScopeReason. */
export interface ScopeReason {
  kind: "PATH_RULE" | "VISION_KEYWORD" | "POLICY" | "EXPORTS_CHANGED" | "NO_VISION" | string;
  direction: "IN" | "OUT" | "UNCERTAIN" | "NEUTRAL" | string;
  weight: number;
  source: string;
  rule?: string | null;
  matched?: string[];
  message: string;
}

export interface ScopeVerdict {
  verdict: Verdict | string;
  confidence: number;
  reasons: ScopeReason[];
}

export interface ScopeItem extends ScopeVerdict {
  prNumber: number;
  title: string;
  authorLogin: string | null;
  headSha: string;
  updatedAt: string | null;
}

export interface ScopePage {
  vision: { path: string; present: boolean; fetchedAt: string | null };
  counts: { outOfScope: number; uncertain: number; inScope: number; notJudged: number };
  items: ScopeItem[];
  nextCursor: string | null;
}
