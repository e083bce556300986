// Roster import (人事データ取込): commands, queries and views.
export {};
