package pgerror

// Code is a five-character SQLSTATE. The source of truth is PostgreSQL's
// src/backend/utils/errcodes.txt; only codes prkdb-sql raises are listed,
// grouped by class as there.
type Code string

const (
	// Class 00 — Successful Completion
	SuccessfulCompletion Code = "00000"
	// Class 01 — Warning
	Warning Code = "01000"
	// Class 0A — Feature Not Supported
	FeatureNotSupported Code = "0A000"
	// Class 08 — Connection Exception
	ConnectionException Code = "08000"
	ConnectionFailure   Code = "08006"
	ProtocolViolation   Code = "08P01"
	// Class 21 — Cardinality Violation
	CardinalityViolation Code = "21000"
	// Class 22 — Data Exception
	DataException                   Code = "22000"
	StringDataRightTruncation       Code = "22001"
	NullValueNoIndicatorParameter   Code = "22002"
	NumericValueOutOfRange          Code = "22003"
	NullValueNotAllowed             Code = "22004"
	InvalidDatetimeFormat           Code = "22007"
	DatetimeFieldOverflow           Code = "22008"
	InvalidTimeZoneDisplacement     Code = "22009"
	InvalidParameterValue           Code = "22023"
	InvalidEscapeSequence           Code = "22025"
	InvalidUseOfEscapeCharacter     Code = "2200C"
	DivisionByZero                  Code = "22012"
	IntervalFieldOverflow           Code = "22015"
	InvalidCharacterValueForCast    Code = "22018"
	InvalidRegularExpression        Code = "2201B"
	InvalidRowCountInLimit          Code = "2201W"
	SubstringError                  Code = "22011"
	InvalidPrecedingOrFollowingSize Code = "22013"
	InvalidArgumentForPowerFunction Code = "2201F"
	InvalidArgumentForLogarithm     Code = "2201E"
	InvalidWidthBucketArgument      Code = "2201G"
	SequenceGeneratorLimitExceeded  Code = "2200H"
	InvalidRowCountInResultOffset   Code = "2201X"
	ArraySubscriptError             Code = "2202E"
	InvalidTextRepresentation       Code = "22P02"
	InvalidBinaryRepresentation     Code = "22P03"
	BadCopyFileFormat               Code = "22P04"
	UntranslatableCharacter         Code = "22P05"
	InvalidJSONText                 Code = "22P02"
	CharacterNotInRepertoire        Code = "22021"
	// Class 23 — Integrity Constraint Violation
	IntegrityConstraintViolation Code = "23000"
	RestrictViolation            Code = "23001"
	NotNullViolation             Code = "23502"
	ForeignKeyViolation          Code = "23503"
	UniqueViolation              Code = "23505"
	CheckViolation               Code = "23514"
	ExclusionViolation           Code = "23P01"
	// Class 24 — Invalid Cursor State
	InvalidCursorState Code = "24000"
	// Class 25 — Invalid Transaction State
	InvalidTransactionState Code = "25000"
	ActiveSQLTransaction    Code = "25001"
	NoActiveSQLTransaction  Code = "25P01"
	InFailedSQLTransaction  Code = "25P02"
	ReadOnlySQLTransaction  Code = "25006"
	// Class 26 — Invalid SQL Statement Name
	InvalidSQLStatementName Code = "26000"
	// Class 28 — Invalid Authorization Specification
	InvalidAuthorizationSpecification Code = "28000"
	InvalidPassword                   Code = "28P01"
	// Class 34 — Invalid Cursor Name
	InvalidCursorName Code = "34000"
	// Class 2B — Dependent Privilege Descriptors Still Exist
	DependentObjectsStillExist Code = "2BP01"
	// Class 3B — Savepoint Exception
	InvalidSavepointSpecification Code = "3B001"
	// Class 3D — Invalid Catalog Name
	InvalidCatalogName Code = "3D000"
	// Class 3F — Invalid Schema Name
	InvalidSchemaName Code = "3F000"
	// Class 40 — Transaction Rollback
	SerializationFailure Code = "40001"
	DeadlockDetected     Code = "40P01"
	// Class 42 — Syntax Error or Access Rule Violation
	GeneratedAlways                  Code = "428C9"
	SyntaxErrorOrAccessRuleViolation Code = "42000"
	SyntaxError                      Code = "42601"
	InsufficientPrivilege            Code = "42501"
	GroupingError                    Code = "42803"
	WindowingError                   Code = "42P20"
	InvalidForeignKey                Code = "42830"
	InvalidName                      Code = "42602"
	ReservedName                     Code = "42939"
	NameTooLong                      Code = "42622"
	DatatypeMismatch                 Code = "42804"
	WrongObjectType                  Code = "42809"
	InvalidColumnReference           Code = "42P10"
	UndefinedColumn                  Code = "42703"
	UndefinedFunction                Code = "42883"
	UndefinedTable                   Code = "42P01"
	UndefinedParameter               Code = "42P02"
	UndefinedObject                  Code = "42704"
	DuplicateColumn                  Code = "42701"
	DuplicateCursor                  Code = "42P03"
	DuplicateDatabase                Code = "42P04"
	DuplicatePreparedStatement       Code = "42P05"
	DuplicateSchema                  Code = "42P06"
	DuplicateTable                   Code = "42P07"
	DuplicateAlias                   Code = "42712"
	DuplicateObject                  Code = "42710"
	AmbiguousColumn                  Code = "42702"
	AmbiguousFunction                Code = "42725"
	AmbiguousParameter               Code = "42P08"
	InvalidColumnDefinition          Code = "42611"
	InvalidTableDefinition           Code = "42P16"
	InvalidObjectDefinition          Code = "42P17"
	IndeterminateDatatype            Code = "42P18"
	CannotCoerce                     Code = "42846"
	// Class 53 — Insufficient Resources
	InsufficientResources Code = "53000"
	OutOfMemory           Code = "53200"
	TooManyConnections    Code = "53300"
	// Class 54 — Program Limit Exceeded
	ProgramLimitExceeded Code = "54000"
	StatementTooComplex  Code = "54001"
	TooManyColumns       Code = "54011"
	TooManyArguments     Code = "54023"
	// Class 55 — Object Not In Prerequisite State
	ObjectNotInPrerequisiteState Code = "55000"
	ObjectInUse                  Code = "55006"
	CantChangeRuntimeParam       Code = "55P02"
	LockNotAvailable             Code = "55P03"
	// Class 57 — Operator Intervention
	QueryCanceled    Code = "57014"
	AdminShutdown    Code = "57P01"
	CannotConnectNow Code = "57P03"
	// Class 58 — System Error
	SystemError Code = "58000"
	IOError     Code = "58030"
	// UndefinedFile: a logical decoding output plugin that does not exist.
	UndefinedFile Code = "58P01"
	// Class XX — Internal Error
	InternalError Code = "XX000"
	DataCorrupted Code = "XX001"
)

// Class returns the two-character class of the code, e.g. "23".
func (c Code) Class() string { return string(c[:2]) }
