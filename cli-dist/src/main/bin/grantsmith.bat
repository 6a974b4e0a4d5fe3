@echo off
rem grantsmith: runs the Grantsmith command-line tool from this unpacked distribution.
rem   JAVA_HOME              the JDK or JRE to use (17 or later); else java from the PATH
rem   GRANTSMITH_JAVA_OPTS   extra JVM options
rem lib\ holds the tool's class path; demo\ (from grantsmith-cli-demo-VERSION, unpacked over this
rem directory) adds the embedded server that "grantsmith demo" starts.
setlocal
for %%i in ("%~dp0..") do set "GRANTSMITH_HOME=%%~fi"

if defined JAVA_HOME (
  set "JAVA=%JAVA_HOME%\bin\java.exe"
) else (
  set "JAVA=java.exe"
)
if defined JAVA_HOME if not exist "%JAVA_HOME%\bin\java.exe" (
  echo grantsmith: JAVA_HOME ^(%JAVA_HOME%^) has no bin\java.exe 1>&2
  exit /b 1
)

set "CLASS_PATH=%GRANTSMITH_HOME%\lib\*"
if exist "%GRANTSMITH_HOME%\demo\" set "CLASS_PATH=%CLASS_PATH%;%GRANTSMITH_HOME%\demo\*"

"%JAVA%" %GRANTSMITH_JAVA_OPTS% "-Dgrantsmith.home=%GRANTSMITH_HOME%" -cp "%CLASS_PATH%" io.grantsmith.samples.cli.GrantsmithCli %*
exit /b %ERRORLEVEL%
