/**
 * Texts for the roster import, shaped like the i18n catalogues (`membership.roster.*`) so they can be merged into
 * `src/modules/membership/i18n/{ja,en}.json`. Placeholders match the `params` of each issue.
 * Row messages leave out the line and column; show them alongside (e.g. with `form.rowError`).
 */
export const ROSTER_MESSAGES = {
  ja: {
    membership: {
      roster: {
        columns: {
          employeeNumber: '社員番号',
          familyName: '姓',
          givenName: '名',
          familyNameKana: 'セイ',
          givenNameKana: 'メイ',
          email: 'メールアドレス',
          department: '部署',
          position: '役職',
          hiredOn: '入社日',
          leftOn: '退職日',
        },
        errors: {
          unknownEncoding:
            'ファイルの文字コードを判別できませんでした。UTF-8またはShift_JISのCSVファイルで保存し直してください。',
          tooLarge: 'ファイルが大きすぎます。{mb}MB以下のファイルを選んでください。',
          tooManyRows: 'データ行が多すぎます。1回に取り込めるのは{max}行までです。ファイルを分けてください。',
          malformedCsv: '{line}行目付近のCSVの形式が正しくありません。引用符（"）が閉じられているか確認してください。',
          missingColumns: '必須の列がありません：{columns}。1行目に見出しがあるか確認してください。',
          duplicateColumns: '同じ列が複数あります：{columns}。どちらか1つにしてください。',
          empty: '取り込むデータがありません。見出しの下にデータ行を入力してください。',
          required: '入力してください。',
          tooLong: '{max}文字以内で入力してください。',
          invalidEmployeeNumber: '社員番号には英数字・ハイフン（-）・アンダースコア（_）だけを使ってください。',
          invalidEmail: 'メールアドレスの形式が正しくありません。',
          invalidDate: '日付「{value}」が正しくありません。2024-04-01や2024/4/1の形式で、実在する日付を入力してください。',
          leftBeforeHired: '退職日が入社日より前になっています。',
          duplicateEmployeeNumber: 'この社員番号は{firstLine}行目と重複しています。',
          duplicateEmail: 'このメールアドレスは{firstLine}行目と重複しています。',
        },
      },
    },
  },
  en: {
    membership: {
      roster: {
        columns: {
          employeeNumber: 'Employee number',
          familyName: 'Family name',
          givenName: 'Given name',
          familyNameKana: 'Family name (kana)',
          givenNameKana: 'Given name (kana)',
          email: 'E-mail address',
          department: 'Department',
          position: 'Position',
          hiredOn: 'Hire date',
          leftOn: 'Leaving date',
        },
        errors: {
          unknownEncoding:
            'The character encoding of the file could not be recognised. Please save it again as a UTF-8 or Shift_JIS CSV file.',
          tooLarge: 'The file is too large. Please choose a file of {mb} MB or less.',
          tooManyRows: 'The file has too many rows. Up to {max} rows can be imported at once; please split the file.',
          malformedCsv: 'The CSV is malformed near line {line}. Please check that every quotation mark (") is closed.',
          missingColumns: 'Required columns are missing: {columns}. Please check that the first line holds the column headings.',
          duplicateColumns: 'These columns appear more than once: {columns}. Please keep only one of each.',
          empty: 'There is nothing to import. Please add data rows below the headings.',
          required: 'Please fill this in.',
          tooLong: 'Please use {max} characters or fewer.',
          invalidEmployeeNumber: 'Employee numbers may only contain letters, digits, hyphens (-) and underscores (_).',
          invalidEmail: 'This is not a valid e-mail address.',
          invalidDate: '"{value}" is not a valid date. Please enter a real date such as 2024-04-01 or 2024/4/1.',
          leftBeforeHired: 'The leaving date is before the hire date.',
          duplicateEmployeeNumber: 'This employee number is already used on line {firstLine}.',
          duplicateEmail: 'This e-mail address is already used on line {firstLine}.',
        },
      },
    },
  },
} as const;
